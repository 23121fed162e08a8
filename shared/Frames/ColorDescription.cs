namespace Aqs.Shared.Frames;

/// <summary>
/// How a frame's samples map to light, as FFmpeg's AVCOL_* enums number it (range: 0 unspecified,
/// 1 limited, 2 full; primaries/transfer/matrix: 1 BT.709, 2 unspecified, ...). Travels in the slot
/// header from the source to the encoder, which writes it into the bitstream's colour description.
/// </summary>
public readonly record struct ColorDescription(int Range, int Primaries, int Transfer, int Matrix)
{
    public const int Unspecified = 2;
    public const int RangeUnspecified = 0;

    public static ColorDescription None => new(RangeUnspecified, Unspecified, Unspecified, Unspecified);

    public bool IsSpecified => Range != RangeUnspecified || Primaries != Unspecified || Transfer != Unspecified || Matrix != Unspecified;
}
