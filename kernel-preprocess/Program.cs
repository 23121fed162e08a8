using System.CommandLine;
using System.Globalization;
using Aqs.Shared.Cli;
using Aqs.Shared.Compression;
using Aqs.Shared.Kernel;

namespace Aqs.Kernel.Preprocess;

public static class Program
{
    public static int Main(string[] args)
    {
        Sources.SourceFactory.ContainerOpener = Sources.MediaFileSource.Open;
        var common = new CommonOptions();
        var input = new Option<string>("--input") { Description = "synthetic[:options], a .y4m, a raw .yuv (needs --size, --fps, --pix-fmt), any media file or URL libavformat opens, x11grab:DISPLAY (screen; --size/--fps set the grab) or v4l2:/dev/videoN (camera)", DefaultValueFactory = _ => "synthetic" };
        var size = new Option<string?>("--size") { Description = "frame size WxH (synthetic default 1280x720; required for raw .yuv)" };
        var fps = new Option<string?>("--fps") { Description = "frame rate, N or N/D (synthetic default 60; required for raw .yuv)" };
        var pixFmt = new Option<string?>("--pix-fmt") { Description = "pixel format, FFmpeg name (yuv420p, yuv420p10le, ...)" };
        var frames = new Option<long?>("--frames") { Description = "stop after this many frames" };
        var startFrame = new Option<long>("--start-frame") { Description = "skip this many frames of the input first" };
        var script = new Option<string?>("--script") { Description = "synthetic source timeline, e.g. \"0s:calm;3s:pan fast;6s:cut\" (or a file holding one)" };
        var loop = new Option<bool>("--loop") { Description = "start a file input again at its end" };
        var pacing = new Option<string>("--pacing") { Description = "realtime (at the source's own timestamps) or asap", DefaultValueFactory = _ => "realtime" };
        var speed = new Option<double>("--speed") { Description = "realtime pacing speed factor", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<ulong?>("--seed") { Description = "synthetic source seed (same seed, same frames)" };
        var refSlots = new Option<int>("--ref-slots") { Description = "slots of the ref ring (power of two): slack for the display's reference keeper, which copies each frame out as it comes; a frame that finds no free slot is still encoded and goes unmeasured", DefaultValueFactory = _ => 64 };
        var refCompression = new Option<string>("--ref-compression") { Description = "store reference frames in the ref ring as is (none) or losslessly compressed (lz4, zstd)", DefaultValueFactory = _ => "none" };
        var root = new RootCommand("AQS Quad Kernel B (preprocess): reads a source, paces it, publishes the raw and ref rings")
        {
            input, size, fps, pixFmt, frames, startFrame, script, loop, pacing, speed, seed, refSlots, refCompression,
        };
        common.AddTo(root);
        root.SetAction(parse =>
        {
            var settings = new PreprocessSettings
            {
                Context = common.Read(parse),
                Input = parse.GetValue(input)!,
                Size = parse.GetValue(size),
                Fps = parse.GetValue(fps),
                PixelFormat = parse.GetValue(pixFmt),
                FrameLimit = parse.GetValue(frames),
                StartFrame = parse.GetValue(startFrame),
                Script = parse.GetValue(script),
                Loop = parse.GetValue(loop),
                Pacing = parse.GetValue(pacing) switch
                {
                    "realtime" => Pacing.PacingMode.Realtime,
                    "asap" => Pacing.PacingMode.Asap,
                    var other => throw new UserFacingException($"--pacing: '{other}' is not realtime or asap", CommandLineHost.ExitUsage),
                },
                Speed = parse.GetValue(speed),
                Seed = parse.GetValue(seed),
                RefSlots = parse.GetValue(refSlots),
                RefCompression = RefCompressions.TryParse(parse.GetValue(refCompression), out var codec) ? codec
                    : throw new UserFacingException($"--ref-compression: '{parse.GetValue(refCompression)}' is not none, lz4 or zstd", CommandLineHost.ExitUsage),
            };
            using var lifetime = new KernelLifetime();
            return new PreprocessKernel(settings).Run(lifetime);
        });
        return CommandLineHost.Run("kernel-preprocess", root, args);
    }
}
