namespace Aqs.Shared.Frames;

/// <summary>The compressed formats an encoded ring slot can carry (its header names one).</summary>
public enum VideoCodec : byte
{
    /// <summary>Raw, uncompressed planar frames.</summary>
    None = 0,
    /// <summary>H.264 / AVC (libx264, h264_nvenc, ...).</summary>
    H264 = 1,
    /// <summary>H.265 / HEVC (libx265, hevc_nvenc, ...).</summary>
    Hevc = 2,
    /// <summary>AV1 (libsvtav1, libaom-av1, av1_nvenc, ...).</summary>
    Av1 = 3,
}
