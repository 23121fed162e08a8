using System.CommandLine;
using Aqs.Kernel.Preprocess.Pacing;
using Aqs.Shared.Cli;
using Aqs.Shared.Compression;
using Aqs.Shared.Kernel;

namespace Aqs.Kernel.Preprocess;

/// <summary>Kernel B's options: one table for <c>kernel-preprocess</c> and <c>aqs run</c>; defaults come from <see cref="PreprocessSettings"/>.</summary>
public sealed class PreprocessFlags : KernelFlags
{
    private static readonly PreprocessSettings Defaults = new() { Context = KernelContext.None };

    public Option<string> Input { get; } = new("--input") { Description = "synthetic[:options], a .y4m, a raw .yuv (needs --size, --fps, --pix-fmt), any media file or URL libavformat opens, x11grab:DISPLAY (screen; --size/--fps set the grab) or v4l2:/dev/videoN (camera)", DefaultValueFactory = _ => Defaults.Input };
    public Option<string?> Size { get; } = new("--size") { Description = "frame size WxH (synthetic default 1280x720; required for raw .yuv)" };
    public Option<string?> Fps { get; } = new("--fps") { Description = "frame rate, N or N/D (synthetic default 60; required for raw .yuv)" };
    public Option<string?> PixFmt { get; } = new("--pix-fmt") { Description = "pixel format, FFmpeg name (yuv420p, yuv420p10le, ...)" };
    public Option<long?> Frames { get; } = new("--frames") { Description = "stop after this many frames" };
    public Option<long> StartFrame { get; } = new("--start-frame") { Description = "skip this many frames of the input first", DefaultValueFactory = _ => Defaults.StartFrame };
    public Option<string?> Script { get; } = new("--script") { Description = "synthetic source timeline, e.g. \"0s:calm;3s:pan fast;6s:cut\" (or a file holding one)" };
    public Option<Switch> Loop { get; } = Toggle("--loop", "start a file input again at its end", Defaults.Loop);
    public Option<string> Pacing { get; } = new("--pacing") { Description = "realtime (at the source's own timestamps) or asap", DefaultValueFactory = _ => Defaults.Pacing.ToString().ToLowerInvariant() };
    public Option<double> Speed { get; } = new("--speed") { Description = "realtime pacing speed factor, over 0", DefaultValueFactory = _ => Defaults.Speed };
    public Option<ulong?> Seed { get; } = new("--seed") { Description = "synthetic source seed (same seed, same frames)" };
    public Option<int> RefSlots { get; } = new("--ref-slots") { Description = "slots of the ref ring (power of two): slack for the display's reference keeper, which copies each frame out as it comes; a frame that finds no free slot is still encoded and goes unmeasured", DefaultValueFactory = _ => Defaults.RefSlots };
    public Option<string> RefCompression { get; } = new("--ref-compression") { Description = "store reference frames in the ref ring as is (none) or losslessly compressed (lz4, zstd)", DefaultValueFactory = _ => Defaults.RefCompression.Name() };

    public override IEnumerable<Option> All => [Input, Size, Fps, PixFmt, Frames, StartFrame, Script, Loop, Pacing, Speed, Seed, RefSlots, RefCompression];

    public override void Validate(ParseResult parse) => Read(parse, KernelContext.None);

    public PreprocessSettings Read(ParseResult parse, KernelContext context)
    {
        var speed = Get(parse, Speed);
        if (!(speed > 0) || !double.IsFinite(speed))
        {
            throw Bad(Speed, $"must be over 0, got {speed}");
        }
        var refSlots = Get(parse, RefSlots);
        if (refSlots < 2 || (refSlots & (refSlots - 1)) != 0)
        {
            throw Bad(RefSlots, $"must be a power of two of at least 2, got {refSlots}");
        }
        if (Get(parse, Frames) is < 1)
        {
            throw Bad(Frames, $"must be at least 1, got {Get(parse, Frames)}");
        }
        if (Get(parse, StartFrame) < 0)
        {
            throw Bad(StartFrame, $"must not be negative, got {Get(parse, StartFrame)}");
        }
        return new PreprocessSettings
        {
            Context = context,
            Input = Get(parse, Input)!,
            Size = Get(parse, Size),
            Fps = Get(parse, Fps),
            PixelFormat = Get(parse, PixFmt),
            FrameLimit = Get(parse, Frames),
            StartFrame = Get(parse, StartFrame),
            Script = Get(parse, Script),
            Loop = Get(parse, Loop),
            Pacing = Get(parse, Pacing) switch
            {
                "realtime" => PacingMode.Realtime,
                "asap" => PacingMode.Asap,
                var other => throw Bad(Pacing, $"'{other}' is not realtime or asap"),
            },
            Speed = speed,
            Seed = Get(parse, Seed),
            RefSlots = refSlots,
            RefCompression = RefCompressions.TryParse(Get(parse, RefCompression), out var codec) ? codec
                : throw Bad(RefCompression, $"'{Get(parse, RefCompression)}' is not none, lz4 or zstd"),
        };
    }
}
