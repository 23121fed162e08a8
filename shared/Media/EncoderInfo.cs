using Aqs.Shared.Frames;

namespace Aqs.Shared.Media;

/// <summary>An encoder this machine really has, with the pixel formats (ours) it takes.</summary>
public sealed record EncoderInfo(string Name, VideoCodec Codec, bool IsHardware, IReadOnlyList<PixelFormat> PixelFormats, bool SupportsLiveBitrate)
{
    public IReadOnlyList<int> BitDepths => PixelFormats.Select(f => f.BitDepth()).Distinct().Order().ToArray();
}
