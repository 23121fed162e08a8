namespace Aqs.Shared.Frames;

/// <summary>
/// How a frame's samples map to light, as FFmpeg's enums number it: <c>AVColorRange</c>,
/// <c>AVColorPrimaries</c>, <c>AVColorTransferCharacteristic</c>, <c>AVColorSpace</c>. Read from the
/// source, carried in the slot header and written by the encoder into the bitstream's colour description.
/// </summary>
public readonly record struct ColorDescription(int Range, int Primaries, int Transfer, int Matrix)
{
    /// <summary>AVCOL_RANGE_UNSPECIFIED.</summary>
    public const int RangeUnspecified = 0;
    /// <summary>AVCOL_RANGE_MPEG: limited ("TV") range, 16..235 luma at 8 bit.</summary>
    public const int RangeLimited = 1;
    /// <summary>AVCOL_RANGE_JPEG: full ("PC") range.</summary>
    public const int RangeFull = 2;

    /// <summary>AVCOL_PRI_BT709 / AVCOL_TRC_BT709 / AVCOL_SPC_BT709 (all 1).</summary>
    public const int Bt709 = 1;
    /// <summary>AVCOL_PRI_UNSPECIFIED / AVCOL_TRC_UNSPECIFIED / AVCOL_SPC_UNSPECIFIED (all 2).</summary>
    public const int Unspecified = 2;

    /// <summary>Nothing known: what a Y4M or raw file without colour tags gives.</summary>
    public static ColorDescription Unknown => new(RangeUnspecified, Unspecified, Unspecified, Unspecified);

    /// <summary>Limited-range BT.709: what the synthetic source produces.</summary>
    public static ColorDescription Bt709Limited => new(RangeLimited, Bt709, Bt709, Bt709);

    public ColorDescription WithRange(int range) => this with { Range = range };

    /// <summary>Full range; unspecified reads as limited, as decoders read it.</summary>
    public bool IsFullRange => Range == RangeFull;
}
