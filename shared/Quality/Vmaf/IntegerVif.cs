namespace Aqs.Shared.Quality.Vmaf;

/// <summary>
/// libvmaf's integer VIF (integer_vif.c) at four scales. Scale 0 filters the samples with a 17-tap Gaussian;
/// each further scale low-passes the previous one (9, 5, 3 taps), keeps every other row and column, and filters
/// that with the next kernel. Per pixel the local variances give log2 terms from a 16-bit lookup table; the
/// score of a scale is num / den in float, exactly as libvmaf rounds them. Edges mirror (index -1 reads 1).
/// </summary>
internal sealed partial class IntegerVif
{
    internal static readonly ushort[][] Filters =
    [
        [489, 935, 1640, 2640, 3896, 5274, 6547, 7455, 7784, 7455, 6547, 5274, 3896, 2640, 1640, 935, 489],
        [1244, 3663, 7925, 12590, 14692, 12590, 7925, 3663, 1244],
        [3571, 16004, 26386, 16004, 3571],
        [10904, 43728, 10904],
    ];

    private const int SigmaNsq = 65536 << 1;
    private const double GainLimit = 100.0;
    // Keeps g finite where sigma1_sq is 0 (libvmaf's eps, in Q16).
    private const double Eps = 65536 * 1.0e-10;

    private readonly int _width;
    private readonly int _height;
    private readonly int _bitDepth;
    private readonly bool _simd;
    // AVX-512 for the fused horizontal pass where the CPU has it (off: the AVX2 path alone, for tests).
    private readonly bool _wide;
    // Decimated images of scales 1..3 (ping-pong), values are 16-bit filtered means.
    private readonly ushort[] _refA, _disA, _refB, _disB;
    // One row after the vertical pass, padded by Pad on each side with mirrored values for the horizontal pass.
    private const int Pad = 8;
    private readonly uint[] _mu1, _mu2, _xx, _yy, _xy;
    private readonly uint[] _convRef, _convDis;
    // SIMD path, scale 3 (a tap of 2^15 or more): the moments of the padded row split into high and low 16 bits, so
    // the horizontal pass stays in 32-bit lanes (see ScoreRowHalvesAvx2); and the subsample's row split into even
    // and odd columns.
    private readonly uint[] _xxHi, _xxLo, _yyHi, _yyLo, _xyHi, _xyLo;
    private readonly uint[] _evenRef, _oddRef, _evenDis, _oddDis;
    // SIMD path, filters whose taps fit 15 bits: the row's means and moment halves centred to signed 16 bits, for
    // vpmaddwd (see PackMoments).
    private readonly short[] _pMu1, _pMu2, _pXxHi, _pXxLo, _pYyHi, _pYyLo, _pXyHi, _pXyLo;
    private readonly int[] _rows = new int[17];

    /// <param name="images">False for a band worker of the parallel driver: it needs only row buffers, not the
    /// decimated images of scales 1..3 (accessing those then fails).</param>
    public IntegerVif(int width, int height, int bitDepth, bool simd, bool images = true, bool wide = true)
    {
        _wide = wide;
        _width = width;
        _height = height;
        _bitDepth = bitDepth;
        _simd = simd && System.Runtime.Intrinsics.X86.Avx2.IsSupported;
        var half = images ? (width / 2) * (height / 2) : 0;
        _refA = new ushort[half];
        _disA = new ushort[half];
        _refB = new ushort[half];
        _disB = new ushort[half];
        // 32 spare entries: PackMoments reads whole vectors of 32 past the mirrored pads.
        var padded = width + 2 * Pad + 32;
        _mu1 = new uint[padded];
        _mu2 = new uint[padded];
        _xx = new uint[padded];
        _yy = new uint[padded];
        _xy = new uint[padded];
        _convRef = new uint[padded];
        _convDis = new uint[padded];
        _evenRef = new uint[padded / 2 + 8];
        _oddRef = new uint[padded / 2 + 8];
        _evenDis = new uint[padded / 2 + 8];
        _oddDis = new uint[padded / 2 + 8];
        _xxHi = new uint[padded];
        _xxLo = new uint[padded];
        _yyHi = new uint[padded];
        _yyLo = new uint[padded];
        _xyHi = new uint[padded];
        _xyLo = new uint[padded];
        // PackMoments writes up to the rows' length; the 512-bit loop reads up to 32 past a row's last output.
        var packed = padded + 48;
        _pMu1 = new short[packed];
        _pMu2 = new short[packed];
        _pXxHi = new short[packed];
        _pXxLo = new short[packed];
        _pYyHi = new short[packed];
        _pYyLo = new short[packed];
        _pXyHi = new short[packed];
        _pXyLo = new short[packed];
    }

    /// <summary>VIF of scales 0..3 for one frame pair of samples (stride = width).</summary>
    public void Compute(ReadOnlySpan<ushort> reference, ReadOnlySpan<ushort> distorted, Span<double> scores)
    {
        scores[0] = Score(StatisticRows(reference, distorted, _width, _height, 0, 0, _height));
        SubsampleRows(reference, distorted, _width, _height, 0, 0, _height / 2, _refA, _disA);
        ComputeCoarseScales(scores);
    }

    /// <summary>
    /// Scales 1..3 from the scale-1 images in <see cref="HalfReference"/> and <see cref="HalfDistorted"/> (filled by
    /// <see cref="SubsampleRows"/> of scale 0), into scores[1..3]. The parallel driver calls this once every band of
    /// the scale-0 subsample is done.
    /// </summary>
    public void ComputeCoarseScales(Span<double> scores)
    {
        int w = _width / 2, h = _height / 2;
        scores[1] = Score(StatisticRows(_refA, _disA, w, h, 1, 0, h));
        SubsampleRows(_refA, _disA, w, h, 1, 0, h / 2, _refB, _disB);
        w /= 2;
        h /= 2;
        scores[2] = Score(StatisticRows(_refB, _disB, w, h, 2, 0, h));
        SubsampleRows(_refB, _disB, w, h, 2, 0, h / 2, _refA, _disA);
        w /= 2;
        h /= 2;
        scores[3] = Score(StatisticRows(_refA, _disA, w, h, 3, 0, h));
    }

    /// <summary>The scale-1 reference image (width/2 x height/2), target of the scale-0 subsample.</summary>
    public ushort[] HalfReference => _refA;

    /// <summary>The scale-1 distorted image.</summary>
    public ushort[] HalfDistorted => _disA;

    /// <summary>num / den of one scale from its accumulators, as float like libvmaf.</summary>
    public static double Score(in VifSums sums)
    {
        var num = (float)(sums.NumLog / 2048.0 + (sums.DenNonLog - (sums.NumNonLog / 16384.0) / 65025.0));
        var den = (float)(sums.DenLog / 2048.0 + sums.DenNonLog);
        return num / den;
    }

    /// <summary>
    /// Low-pass with kernel <paramref name="scale"/> + 1 and keep even rows and columns (libvmaf's subsample_rd then
    /// decimate: only the kept samples are computed), for output rows [<paramref name="from2"/>, <paramref name="to2"/>).
    /// Bands of rows are independent: each reads the whole input and writes only its own output rows.
    /// </summary>
    public void SubsampleRows(ReadOnlySpan<ushort> reference, ReadOnlySpan<ushort> distorted, int w, int h, int scale,
        int from2, int to2, Span<ushort> refOut, Span<ushort> disOut)
    {
        var filter = Filters[scale + 1];
        var half = filter.Length / 2;
        var shift = scale == 0 ? _bitDepth : 16;
        var round = 1u << (shift - 1);
        var w2 = w / 2;
        for (var i2 = from2; i2 < to2; i2++)
        {
            var rows = RowOffsets(2 * i2, h, w, filter.Length);
            if (_simd)
            {
                SubsampleVerticalAvx2(reference, distorted, w, rows, filter, round, shift);
            }
            else
            {
                SubsampleVertical(reference, distorted, w, rows, filter, round, shift);
            }
            MirrorPads(_convRef, w, half);
            MirrorPads(_convDis, w, half);
            var outRef = refOut.Slice(i2 * w2, w2);
            var outDis = disOut.Slice(i2 * w2, w2);
            if (_simd)
            {
                SubsampleHorizontalAvx2(w, filter, outRef, outDis);
            }
            else
            {
                for (var j2 = 0; j2 < w2; j2++)
                {
                    var j = 2 * j2 + Pad - half;
                    uint accumRef = 0, accumDis = 0;
                    for (var k = 0; k < filter.Length; k++)
                    {
                        accumRef += filter[k] * _convRef[j + k];
                        accumDis += filter[k] * _convDis[j + k];
                    }
                    outRef[j2] = (ushort)((accumRef + 32768) >> 16);
                    outDis[j2] = (ushort)((accumDis + 32768) >> 16);
                }
            }
        }
    }

    private void SubsampleVertical(ReadOnlySpan<ushort> reference, ReadOnlySpan<ushort> distorted, int w, ReadOnlySpan<int> rows,
        ushort[] filter, uint round, int shift)
    {
        for (var j = 0; j < w; j++)
        {
            uint accumRef = 0, accumDis = 0;
            for (var k = 0; k < filter.Length; k++)
            {
                accumRef += filter[k] * (uint)reference[rows[k] + j];
                accumDis += filter[k] * (uint)distorted[rows[k] + j];
            }
            _convRef[Pad + j] = (ushort)((accumRef + round) >> shift);
            _convDis[Pad + j] = (ushort)((accumDis + round) >> shift);
        }
    }

    /// <summary>Offsets of the rows a vertical filter of <paramref name="taps"/> taps centred on row i reads (mirrored).</summary>
    private ReadOnlySpan<int> RowOffsets(int i, int h, int w, int taps)
    {
        var half = taps / 2;
        for (var k = 0; k < taps; k++)
        {
            _rows[k] = IntegerMotion.Mirror(i - half + k, h) * w;
        }
        return _rows.AsSpan(0, taps);
    }

    /// <summary>libvmaf's PADDING_SQ_DATA: x[-f] = x[f], x[w-1+f] = x[w-1-f], on a row stored at offset Pad.</summary>
    private static void MirrorPads(uint[] row, int w, int half)
    {
        for (var f = 1; f <= half; f++)
        {
            row[Pad - f] = row[Pad + f];
            row[Pad + w - 1 + f] = row[Pad + w - 1 - f];
        }
    }

    /// <summary>
    /// The accumulators of one scale over rows [<paramref name="from"/>, <paramref name="to"/>) of a w x h image.
    /// Integer sums, so bands added in any order give the whole image's sums exactly.
    /// </summary>
    public VifSums StatisticRows(ReadOnlySpan<ushort> reference, ReadOnlySpan<ushort> distorted, int w, int h, int scale, int from, int to)
    {
        var filter = Filters[scale];
        int shiftMu, shiftSq;
        uint roundMu;
        ulong roundSq;
        if (scale == 0)
        {
            shiftMu = _bitDepth;
            roundMu = 1u << (_bitDepth - 1);
            shiftSq = (_bitDepth - 8) * 2;
            roundSq = _bitDepth == 8 ? 0 : 1ul << (shiftSq - 1);
        }
        else
        {
            shiftMu = 16;
            roundMu = 32768;
            shiftSq = 16;
            roundSq = 32768;
        }
        var sums = new VifSums();
        var half = filter.Length / 2;
        for (var i = from; i < to; i++)
        {
            var rows = RowOffsets(i, h, w, filter.Length);
            if (_simd)
            {
                VerticalMomentsAvx2(reference, distorted, w, rows, filter, roundMu, shiftMu, roundSq, shiftSq);
            }
            else
            {
                VerticalMoments(reference, distorted, 0, w, rows, filter, roundMu, shiftMu, roundSq, shiftSq);
            }
            MirrorPads(_mu1, w, half);
            MirrorPads(_mu2, w, half);
            MirrorPads(_xx, w, half);
            MirrorPads(_yy, w, half);
            MirrorPads(_xy, w, half);
            if (_simd)
            {
                ScoreRowAvx2(w, filter, ref sums);
            }
            else
            {
                HorizontalScores(0, w, filter, ref sums);
            }
        }
        return sums;
    }

    private void VerticalMoments(ReadOnlySpan<ushort> reference, ReadOnlySpan<ushort> distorted, int from, int w, ReadOnlySpan<int> rows,
        ushort[] filter, uint roundMu, int shiftMu, ulong roundSq, int shiftSq)
    {
        for (var j = from; j < w; j++)
        {
            uint mu1 = 0, mu2 = 0;
            ulong xx = 0, yy = 0, xy = 0;
            for (var k = 0; k < filter.Length; k++)
            {
                uint r = reference[rows[k] + j];
                uint d = distorted[rows[k] + j];
                var fr = filter[k] * r;
                var fd = filter[k] * d;
                mu1 += fr;
                mu2 += fd;
                xx += (ulong)fr * r;
                yy += (ulong)fd * d;
                xy += (ulong)fr * d;
            }
            _mu1[Pad + j] = (ushort)((mu1 + roundMu) >> shiftMu);
            _mu2[Pad + j] = (ushort)((mu2 + roundMu) >> shiftMu);
            _xx[Pad + j] = (uint)((xx + roundSq) >> shiftSq);
            _yy[Pad + j] = (uint)((yy + roundSq) >> shiftSq);
            _xy[Pad + j] = (uint)((xy + roundSq) >> shiftSq);
        }
    }

    private void HorizontalScores(int from, int w, ushort[] filter, ref VifSums sums)
    {
        var half = filter.Length / 2;
        for (var j = from; j < w; j++)
        {
            uint mu1 = 0, mu2 = 0;
            ulong xx = 0, yy = 0, xy = 0;
            var start = Pad + j - half;
            for (var k = 0; k < filter.Length; k++)
            {
                uint f = filter[k];
                mu1 += f * _mu1[start + k];
                mu2 += f * _mu2[start + k];
                xx += (ulong)f * _xx[start + k];
                yy += (ulong)f * _yy[start + k];
                xy += (ulong)f * _xy[start + k];
            }
            Accumulate(mu1, mu2, xx, yy, xy, ref sums);
        }
    }

    /// <summary>One pixel's contribution from its filtered means (Q32 of samples) and moments (Q16 + 16).</summary>
    internal static void Accumulate(uint mu1, uint mu2, ulong xx, ulong yy, ulong xy, ref VifSums sums)
    {
        var mu1Sq = (uint)(((ulong)mu1 * mu1 + 2147483648ul) >> 32);
        var mu2Sq = (uint)(((ulong)mu2 * mu2 + 2147483648ul) >> 32);
        var mu1Mu2 = (uint)(((ulong)mu1 * mu2 + 2147483648ul) >> 32);
        var xxFilt = (uint)((xx + 32768) >> 16);
        var yyFilt = (uint)((yy + 32768) >> 16);
        var xyFilt = (uint)((xy + 32768) >> 16);
        var sigma1Sq = (int)(xxFilt - mu1Sq);
        var sigma2Sq = (int)(yyFilt - mu2Sq);
        var sigma12 = (int)(xyFilt - mu1Mu2);
        sigma2Sq = Math.Max(sigma2Sq, 0);
        if (sigma1Sq >= SigmaNsq)
        {
            sums.DenLog += FixedPointTables.Log2Of32((uint)(SigmaNsq + sigma1Sq)) - 2048 * 17;
            if (sigma12 > 0 && sigma2Sq > 0)
            {
                var g = sigma12 / (sigma1Sq + Eps);
                var svSq = (int)(sigma2Sq - g * sigma12);
                svSq = Math.Max(svSq, 0);
                g = Math.Min(g, GainLimit);
                var numer1 = (uint)(svSq + SigmaNsq);
                var numer1Tmp = (long)(g * g * sigma1Sq) + numer1;
                sums.NumLog += FixedPointTables.Log2Of64((ulong)numer1Tmp) - FixedPointTables.Log2Of64(numer1);
            }
        }
        else
        {
            sums.NumNonLog += sigma2Sq;
            sums.DenNonLog++;
        }
    }

    /// <summary>libvmaf's four integer accumulators of one scale.</summary>
    internal struct VifSums
    {
        public void Add(in VifSums other)
        {
            NumLog += other.NumLog;
            DenLog += other.DenLog;
            NumNonLog += other.NumNonLog;
            DenNonLog += other.DenNonLog;
        }

        public long NumLog;
        public long DenLog;
        public long NumNonLog;
        public long DenNonLog;
    }
}
