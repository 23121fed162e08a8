using Aqs.Shared.Frames;

namespace Aqs.Shared.Media;

/// <summary>
/// How to open a <see cref="VideoEncoder"/>. <see cref="Codec"/> is an FFmpeg encoder name (libx264, libx265,
/// libsvtav1, libaom-av1, h264_nvenc, ...) or "auto" for the best one this machine has for <see cref="Format"/>.
/// </summary>
/// <param name="BitrateBps">Target bitrate; the VBV (maxrate/bufsize) is set to the same rate over <see cref="VbvSeconds"/>.
/// 0 leaves rate control to the codec's quality default.</param>
public sealed record EncoderSettings(string Codec, int Width, int Height, PixelFormat Format, int FpsNum, int FpsDen, long BitrateBps)
{
    /// <summary>x264-style speed preset; mapped to each codec's scale (svt-av1 preset, aom cpu-used, nvenc p1..p7).</summary>
    public string Preset { get; init; } = "veryfast";
    /// <summary>Zero-latency tuning: no B-frames, no lookahead, one packet out per frame in.</summary>
    public bool LowLatency { get; init; } = true;
    /// <summary>Encoder threads, 0 = codec's automatic choice.</summary>
    public int Threads { get; init; } = 0;
    /// <summary>Frames between keyframes; 0 = codec default (infinite-like with intra refresh).</summary>
    public int KeyframeInterval { get; init; } = 0;
    /// <summary>Periodic intra refresh instead of keyframes, where the codec has it (x264, x265, nvenc).</summary>
    public bool IntraRefresh { get; init; } = false;
    public int QpMin { get; init; } = -1;
    public int QpMax { get; init; } = -1;
    /// <summary>VBV buffer length in seconds of <see cref="BitrateBps"/>; short keeps the rate close to the target second by second.</summary>
    public double VbvSeconds { get; init; } = 1.0;
    /// <summary>Put codec headers in <see cref="VideoEncoder.Extradata"/> (needed for MP4/MKV); x264 then leaves them out of the stream.</summary>
    public bool GlobalHeader { get; init; } = false;
    /// <summary>Colour description written into the stream (VUI / colour config); unspecified fields are left out.</summary>
    public ColorDescription Color { get; init; } = ColorDescription.Unknown;
}
