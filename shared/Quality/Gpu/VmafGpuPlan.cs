using Aqs.Shared.Quality.Vmaf;

namespace Aqs.Shared.Quality.Gpu;

/// <summary>
/// The per-scale and per-level constants of one frame size (what the CPU extractors derive inside their loops) and
/// the host-side end of each feature: turning the frame's integer sums into VIF, ADM and motion scores with the
/// CPU path's float and double steps (ADM's region and cube-root sums call <see cref="IntegerAdm"/>'s own; the VIF
/// and motion ends mirror <see cref="IntegerVif"/> and <see cref="IntegerMotion"/>, checked equal by the tests).
/// </summary>
internal sealed class VmafGpuPlan
{

    /// <summary>Start of each VIF filter in the concatenated table.</summary>
    public static readonly int[] FilterStarts = [0, 17, 26, 31];

    public readonly int Width;
    public readonly int Height;
    public readonly int BitDepth;
    public readonly VifScaleGeometry[] Vif = new VifScaleGeometry[4];
    public readonly AdmLevelGeometry[] Adm = new AdmLevelGeometry[4];
    public readonly float Cos1DegSq = (float)(Math.Cos(1.0 * Math.PI / 180.0) * Math.Cos(1.0 * Math.PI / 180.0));
    /// <summary>Ints in one ADM band (stride times rows) of the level-0 size, the largest.</summary>
    public readonly int AdmBandSize;

    public VmafGpuPlan(int width, int height, int bitDepth)
    {
        Width = width;
        Height = height;
        BitDepth = bitDepth;
        int w = width, h = height;
        for (var s = 0; s < 4; s++)
        {
            var zero = s == 0;
            var shiftSq = zero ? (bitDepth - 8) * 2 : 16;
            Vif[s] = new VifScaleGeometry
            {
                Width = w,
                Height = h,
                FilterStart = FilterStarts[s],
                Taps = IntegerVif.Filters[s].Length,
                ShiftMu = zero ? bitDepth : 16,
                RoundMu = zero ? 1u << (bitDepth - 1) : 32768,
                ShiftSq = shiftSq,
                RoundSq = zero ? (bitDepth == 8 ? 0 : 1ul << (shiftSq - 1)) : 32768,
                ResultSlot = VmafResultSlots.Vif + 4 * s,
                NextFilterStart = s < 3 ? FilterStarts[s + 1] : 0,
                NextTaps = s < 3 ? IntegerVif.Filters[s + 1].Length : 0,
                NextShift = zero ? bitDepth : 16,
            };
            w /= 2;
            h /= 2;
        }

        var stride = (width + 1) / 2;
        AdmBandSize = stride * ((height + 1) / 2);
        w = width;
        h = height;
        ReadOnlySpan<int> roundVs = [0, 32768, 32768];
        ReadOnlySpan<int> shiftVs = [0, 16, 16];
        ReadOnlySpan<int> roundHs = [16384, 32768, 16384];
        ReadOnlySpan<int> shiftHs = [15, 16, 15];
        ReadOnlySpan<int> denShiftSqs = [31, 30, 31];
        for (var level = 0; level < 4; level++)
        {
            int ow = (w + 1) / 2, oh = (h + 1) / 2;
            var taps = Region(ow, oh, withTaps: true);
            var (left, top, right, bottom) = Region(ow, oh, withTaps: false);
            var g = new AdmLevelGeometry
            {
                Level = level,
                InWidth = w,
                InHeight = h,
                Width = ow,
                Height = oh,
                Stride = stride,
                BitDepth = bitDepth,
                BandSize = AdmBandSize,
                TapLeft = taps.Left,
                TapTop = taps.Top,
                TapRight = taps.Right,
                TapBottom = taps.Bottom,
                Left = left,
                Top = top,
                Right = right,
                Bottom = bottom,
                ResultSlot = VmafResultSlots.Adm + 6 * level,
            };
            if (level == 0)
            {
                g.ShiftCubHv = (int)(uint)Math.Ceiling(Math.Log2(ow) - 4);
                g.RoundCubHv = (long)(uint)Math.Pow(2, (double)(uint)(g.ShiftCubHv - 1));
                g.ShiftCubD = (int)(uint)Math.Ceiling(Math.Log2(ow) - 3);
                g.RoundCubD = (long)(uint)Math.Pow(2, (double)(uint)(g.ShiftCubD - 1));
                g.ShiftInner = (int)(uint)Math.Ceiling(Math.Log2(oh));
                g.RoundInner = (long)(uint)Math.Pow(2, (double)(uint)(g.ShiftInner - 1));
                var shiftAccum = (int)Math.Ceiling(Math.Log2((bottom - top) * (right - left)) - 20);
                g.DenShiftAccum = Math.Max(shiftAccum, 0);
                g.DenRoundAccum = g.DenShiftAccum > 0 ? 1ul << (g.DenShiftAccum - 1) : 0ul;
            }
            else
            {
                var (hv, d) = IntegerAdm.CsfFactors(level);
                g.RoundV = roundVs[level - 1];
                g.ShiftV = shiftVs[level - 1];
                g.RoundH = roundHs[level - 1];
                g.ShiftH = shiftHs[level - 1];
                g.FactorHv = (uint)(hv * Math.Pow(2, 32));
                g.FactorD = (uint)(d * Math.Pow(2, 32));
                var shiftCub = (uint)Math.Ceiling(Math.Log2(ow));
                g.ShiftCubHv = (int)shiftCub;
                g.RoundCubHv = (long)(uint)Math.Pow(2, (double)(shiftCub - 1));
                var shiftInner = (uint)Math.Ceiling(Math.Log2(oh));
                g.ShiftInner = (int)shiftInner;
                g.RoundInner = (long)(uint)Math.Pow(2, (double)(shiftInner - 1));
                g.DenShiftSq = denShiftSqs[level - 1];
                g.DenRoundSq = 1ul << g.DenShiftSq;
                var denShiftCub = (uint)Math.Ceiling(Math.Log2(right - left));
                g.DenShiftCub = (int)denShiftCub;
                g.DenRoundCub = (ulong)(uint)Math.Pow(2, (double)(denShiftCub - 1));
                var denShiftAccum = (uint)Math.Ceiling(Math.Log2(bottom - top));
                g.DenShiftAccum = (int)denShiftAccum;
                g.DenRoundAccum = (ulong)(uint)Math.Pow(2, (double)(denShiftAccum - 1));
            }
            Adm[level] = g;
            w = ow;
            h = oh;
        }
    }

    /// <summary>The six features of one frame from its integer sums; <paramref name="motion"/> is this frame's motion.</summary>
    public void Features(ReadOnlySpan<long> sums, out double adm, out double motion, Span<double> vif)
    {
        for (var s = 0; s < 4; s++)
        {
            var at = VmafResultSlots.Vif + 4 * s;
            long numLog = sums[at], denLog = sums[at + 1], numNonLog = sums[at + 2], denNonLog = sums[at + 3];
            var num = (float)(numLog / 2048.0 + (denNonLog - (numNonLog / 16384.0) / 65025.0));
            var den = (float)(denLog / 2048.0 + denNonLog);
            vif[s] = num / den;
        }
        adm = Adm2(sums);
        var sad = (ulong)sums[VmafResultSlots.Motion];
        motion = Math.Min((double)sad / 256.0 / ((double)Width * Height), 10000.0);
    }

    private double Adm2(ReadOnlySpan<long> sums)
    {
        var numdenLimit = 1e-10 * (Width * Height) / (1920.0 * 1080.0);
        double num = 0, den = 0;
        ReadOnlySpan<uint> finals = [45, 39, 36];
        ReadOnlySpan<uint> convert = [32, 27, 23];
        for (var level = 0; level < 4; level++)
        {
            var g = Adm[level];
            var at = g.ResultSlot;
            long numH = sums[at], numV = sums[at + 1], numD = sums[at + 2];
            ulong denH = (ulong)sums[at + 3], denV = (ulong)sums[at + 4], denD = (ulong)sums[at + 5];
            var area = (g.Bottom - g.Top) * (g.Right - g.Left);
            var (hv, d) = IntegerAdm.CsfFactors(level);
            float numScale, denScale;
            if (level == 0)
            {
                var fh = (float)(numH / Math.Pow(2, (double)(uint)(52 - g.ShiftCubHv - g.ShiftInner)));
                var fv = (float)(numV / Math.Pow(2, (double)(uint)(52 - g.ShiftCubHv - g.ShiftInner)));
                var fd = (float)(numD / Math.Pow(2, (double)(uint)(57 - g.ShiftCubD - g.ShiftInner)));
                numScale = CubeRootSum(fh, fv, fd, area);
                var shiftCsf = Math.Pow(2, 18 - g.DenShiftAccum);
                denScale = CubeRootSum(denH / shiftCsf * Math.Pow(hv, 3), denV / shiftCsf * Math.Pow(hv, 3),
                    denD / shiftCsf * Math.Pow(d, 3), area);
            }
            else
            {
                var finalShift = (float)Math.Pow(2, (double)(finals[level - 1] - (uint)g.ShiftCubHv - (uint)g.ShiftInner));
                var fh = (float)(numH / (double)finalShift);
                var fv = (float)(numV / (double)finalShift);
                var fd = (float)(numD / (double)finalShift);
                numScale = CubeRootSum(fh, fv, fd, area);
                var shiftCsf = Math.Pow(2, (double)(convert[level - 1] - (uint)g.DenShiftAccum - (uint)g.DenShiftCub));
                denScale = CubeRootSum(denH / shiftCsf * Math.Pow(hv, 3), denV / shiftCsf * Math.Pow(hv, 3),
                    denD / shiftCsf * Math.Pow(d, 3), area);
            }
            num += numScale;
            den += denScale;
        }
        num = num < numdenLimit ? 0 : num;
        den = den < numdenLimit ? 0 : den;
        return den == 0.0 ? 1.0 : num / den;
    }

    // The host-side steps are the CPU path's own, so the two cannot drift apart.
    private static float CubeRootSum(double h, double v, double d, int area) => IntegerAdm.CubeRootSum(h, v, d, area);

    private static (int Left, int Top, int Right, int Bottom) Region(int w, int h, bool withTaps) => IntegerAdm.Region(w, h, withTaps);
}
