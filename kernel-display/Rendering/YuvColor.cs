using Aqs.Shared.Frames;

namespace Aqs.Kernel.Display.Rendering;

/// <summary>The YUV → RGB matrix (its luma weights Kr, Kb) and range of a stream.</summary>
public readonly record struct YuvColor(double Kr, double Kb, bool FullRange)
{
    public static readonly YuvColor Bt601 = new(0.299, 0.114, false);
    public static readonly YuvColor Bt709 = new(0.2126, 0.0722, false);
    public static readonly YuvColor Bt2020 = new(0.2627, 0.0593, false);

    public YuvColor WithFullRange(bool full) => this with { FullRange = full };

    /// <summary>
    /// From the bitstream's description (FFmpeg's AVColorSpace and AVColorRange numbers). Unspecified matrices
    /// follow common practice: BT.709 from 720 lines up, BT.601 below; unspecified range is limited.
    /// </summary>
    public static YuvColor From(ColorDescription color, int height)
    {
        var matrix = color.Matrix switch
        {
            1 => Bt709,
            5 or 6 => Bt601,
            9 or 10 => Bt2020,
            _ => height >= 720 ? Bt709 : Bt601,
        };
        return matrix.WithFullRange(color.IsFullRange);
    }
}
