using System.Diagnostics;

namespace Aqs.Shared.Quality.Vmaf;

/// <summary>
/// libvmaf's integer ADM (integer_adm.c) with its default options (Watson-97 CSF, viewing distance 3 heights of
/// a 1080-line display, enhancement gain limit 100, noise weight 1/32): four levels of a db2 wavelet; per level the
/// distorted detail bands are split into the part explained by the reference (restored) and the additive part,
/// both CSF-weighted; the restored part, masked by the additive part's 3x3 neighbourhood, is summed as a cube norm
/// (numerator) against the reference's own cube norm (denominator). adm2 = sum(num) / sum(den).
/// Level 0 runs in 16-bit words, levels 1..3 in 32-bit words, with libvmaf's shifts and rounding.
/// With <c>simd</c> on an AVX2 CPU every stage runs its vectorised twin (IntegerAdm.Avx2*.cs), bit-exact with the
/// scalar code here, which stays the reference (tests compare the two).
/// </summary>
internal sealed partial class IntegerAdm
{
    private const double BorderFactor = 0.1;
    private const double NoiseWeight = 0.03125;
    private const double GainLimit = 100.0;
    private const double ViewDistance = 3.0;
    private const int DisplayHeight = 1080;

    private readonly int _width;
    private readonly int _height;
    private readonly int _bitDepth;
    private readonly bool _simd;
    private readonly int _stride;          // band stride: (width + 1) / 2
    private readonly AdmBands _ref, _dis;  // DWT output of the current level
    private readonly int[] _rH, _rV, _rD;  // decoupled: restored (decouple_r)
    private readonly int[] _aH, _aV, _aD;  // decoupled: additive (decouple_a)
    private readonly int[] _csfH, _csfV, _csfD;  // CSF-weighted additive part (csf_a)
    private readonly int[] _fltH, _fltV, _fltD;  // its masking contribution |csf_a| / 30 (csf_f)
    private readonly int[] _tmpLoRef, _tmpHiRef, _tmpLoDis, _tmpHiDis;
    private readonly int[] _evenLo, _oddLo, _evenHi, _oddHi;  // vectorised DWT: a row split by column parity
    private readonly short[] _row16Lo, _row16Hi;  // vectorised level-0 DWT: a vertical-pass row, column c at c + 1
    private readonly int[] _maskF, _maskG, _box;  // vectorised masking: sum of csf_f, centre terms - F, 3-row sums
    private readonly int[][] _indY = [[], [], [], []];
    private readonly int[][] _indX = [[], [], [], []];

    public IntegerAdm(int width, int height, int bitDepth, bool simd)
    {
        _simd = simd && System.Runtime.Intrinsics.X86.Avx2.IsSupported;
        _width = width;
        _height = height;
        _bitDepth = bitDepth;
        _stride = (width + 1) / 2;
        var size = _stride * ((height + 1) / 2) + Slack;
        _ref = new AdmBands(size);
        _dis = new AdmBands(size);
        _rH = new int[size]; _rV = new int[size]; _rD = new int[size];
        _aH = new int[size]; _aV = new int[size]; _aD = new int[size];
        _csfH = new int[size]; _csfV = new int[size]; _csfD = new int[size];
        _fltH = new int[size]; _fltV = new int[size]; _fltD = new int[size];
        _tmpLoRef = new int[width]; _tmpHiRef = new int[width];
        _tmpLoDis = new int[width]; _tmpHiDis = new int[width];
        var half = _stride + 1 + Slack;
        _evenLo = new int[half]; _oddLo = new int[half]; _evenHi = new int[half]; _oddHi = new int[half];
        _row16Lo = new short[width + 3 + Slack]; _row16Hi = new short[width + 3 + Slack];
        _maskF = new int[size]; _maskG = new int[size];
        _box = new int[half + 1];
        for (var k = 0; k < 4; k++)
        {
            _indY[k] = new int[(height + 1) / 2];
            _indX[k] = new int[(width + 1) / 2];
        }
    }

    /// <summary>
    /// When set (benchmarks only), Compute adds each stage's Stopwatch ticks here: index scale * StageCount + stage,
    /// stages in the order <see cref="AdmStage"/>. Reading the clock 20 times a frame costs well under a microsecond.
    /// </summary>
    internal long[]? StageTicks { get; set; }

    internal const int StageCount = 5;

    /// <summary>
    /// When set (tests only), Compute writes each level's numerator and denominator here, at 2*scale and 2*scale+1:
    /// libvmaf's integer_adm_scaleN is their quotient.
    /// </summary>
    internal double[]? ScaleScores { get; set; }

    /// <summary>adm2 of one frame pair of samples (stride = width).</summary>
    public double Compute(ReadOnlySpan<ushort> reference, ReadOnlySpan<ushort> distorted)
    {
        int w = _width, h = _height;
        var numdenLimit = 1e-10 * (w * h) / (1920.0 * 1080.0);
        double num = 0, den = 0;
        var ticks = StageTicks;
        for (var scale = 0; scale < 4; scale++)
        {
            var t0 = Stopwatch.GetTimestamp();
            FillIndices(_indY, h);
            FillIndices(_indX, w);
            // The vectorised passes need a few columns to mirror; tiny levels run the scalar code.
            var simd = _simd && w >= MinSimdWidth;
            if (simd)
            {
                // The vectorised DWT decouples each band row (and takes its CSF) as soon as it is made.
                if (scale == 0)
                {
                    Dwt0DecoupleAvx2(reference, distorted, w, h);
                }
                else
                {
                    DwtLevelDecoupleAvx2(_ref.A, _dis.A, w, h, scale);
                }
            }
            else if (scale == 0)
            {
                Dwt0(reference, w, h, _ref);
                Dwt0(distorted, w, h, _dis);
            }
            else
            {
                // The previous level's approximation band is this level's input, transformed in place as libvmaf
                // does: output row i is written after source rows 2i-1..2i+2 were read, and no later row needs it.
                DwtLevel(_ref.A, _dis.A, w, h, scale);
            }
            w = (w + 1) / 2;
            h = (h + 1) / 2;
            var t1 = Stopwatch.GetTimestamp();
            if (!simd)
            {
                Decouple(w, h, scale == 0);
            }
            var t2 = Stopwatch.GetTimestamp();
            var denScale = (scale, simd) switch
            {
                (0, true) => DenominatorScale0Avx2(w, h),
                (0, false) => DenominatorScale0(w, h),
                (_, true) => DenominatorScaleAvx2(scale, w, h),
                _ => DenominatorScale(scale, w, h),
            };
            var t3 = Stopwatch.GetTimestamp();
            if (!simd) // the vectorised decoupling computed the CSF on the way
            {
                if (scale == 0)
                {
                    Csf0(w, h);
                }
                else
                {
                    Csf(scale, w, h);
                }
            }
            var t4 = Stopwatch.GetTimestamp();
            var numScale = simd ? ContrastMaskAvx2(scale, w, h) : scale == 0 ? ContrastMaskScale0(w, h) : ContrastMask(scale, w, h);
            var t5 = Stopwatch.GetTimestamp();
            if (ticks is not null)
            {
                var at = scale * StageCount;
                ticks[at + (int)AdmStage.Dwt] += t1 - t0;
                ticks[at + (int)AdmStage.Decouple] += t2 - t1;
                ticks[at + (int)AdmStage.Denominator] += t3 - t2;
                ticks[at + (int)AdmStage.Csf] += t4 - t3;
                ticks[at + (int)AdmStage.ContrastMask] += t5 - t4;
            }
            if (ScaleScores is { } scores)
            {
                scores[2 * scale] = numScale;
                scores[2 * scale + 1] = denScale;
            }
            num += numScale;
            den += denScale;
        }
        num = num < numdenLimit ? 0 : num;
        den = den < numdenLimit ? 0 : den;
        return den == 0.0 ? 1.0 : num / den;
    }

    /// <summary>Row/column taps of the DWT: 2i-1 .. 2i+2, reflected at the start (-1 reads 1) and mirrored with
    /// repetition at the end (n reads n-1), as libvmaf's dwt2_src_indices_filt.</summary>
    private static void FillIndices(int[][] ind, int n)
    {
        var half = (n + 1) / 2;
        for (var i = 0; i < half; i++)
        {
            for (var k = 0; k < 4; k++)
            {
                var index = 2 * i - 1 + k;
                if (index < 0)
                {
                    index = -index;
                }
                if (index >= n)
                {
                    index = 2 * n - index - 1;
                }
                ind[k][i] = index;
            }
        }
    }

    /// <summary>The region libvmaf computes: 10% border left out (+1/+2 taps for the stages that feed filters).</summary>
    internal static (int Left, int Top, int Right, int Bottom) Region(int w, int h, bool withTaps)
    {
        if (!withTaps)
        {
            var l = (int)(w * BorderFactor - 0.5);
            var t = (int)(h * BorderFactor - 0.5);
            return (l, t, w - l, h - t);
        }
        var left = (int)(w * BorderFactor - 0.5 - 1);
        var top = (int)(h * BorderFactor - 0.5 - 1);
        var right = w - left + 2;
        var bottom = h - top + 2;
        return (Math.Max(left, 0), Math.Max(top, 0), Math.Min(right, w), Math.Min(bottom, h));
    }

    /// <summary>dwt_quant_step of the Watson 7/9 noise model (luma), in libvmaf's mix of float and double.</summary>
    internal static float QuantStep(int lambda, int theta)
    {
        ReadOnlySpan<float> g = [1.501f, 1.0f, 0.534f, 1.0f];
        ReadOnlySpan<float> amplitudes =
        [
            0.62171f, 0.67234f, 0.72709f, 0.67234f,
            0.34537f, 0.41317f, 0.49428f, 0.41317f,
            0.18004f, 0.22727f, 0.28688f, 0.22727f,
            0.091401f, 0.11792f, 0.15214f, 0.11792f,
        ];
        const float a = 0.495f, k = 0.466f, f0 = 0.401f;
        var r = (float)(ViewDistance * DisplayHeight * Math.PI / 180.0);
        var temp = (float)Math.Log10(Math.Pow(2.0, lambda + 1) * f0 * g[theta] / r);
        return (float)(2.0 * a * Math.Pow(10.0, k * temp * temp) / amplitudes[lambda * 4 + theta]);
    }

    /// <summary>The CSF weights of a level: horizontal/vertical, then diagonal.</summary>
    internal static (float Hv, float D) CsfFactors(int scale) =>
        (1.0f / QuantStep(scale, 1), 1.0f / QuantStep(scale, 2));

    private sealed class AdmBands(int size)
    {
        public readonly int[] A = new int[size];
        public readonly int[] V = new int[size];
        public readonly int[] H = new int[size];
        public readonly int[] D = new int[size];
    }
}

/// <summary>The stages of one ADM level, as <see cref="IntegerAdm.StageTicks"/> records them.</summary>
internal enum AdmStage
{
    Dwt,
    Decouple,
    Denominator,
    Csf,
    ContrastMask,
}
