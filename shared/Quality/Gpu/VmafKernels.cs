using ILGPU;

namespace Aqs.Shared.Quality.Gpu;

/// <summary>
/// ILGPU kernels twinning the integer VMAF features of <see cref="Vmaf.IntegerVif"/>, <see cref="Vmaf.IntegerAdm"/> and
/// <see cref="Vmaf.IntegerMotion"/> operation for operation (same widths, shifts, casts and float/double steps), so
/// the integer sums are the CPU path's exactly. Per-pixel passes are grid-stride loops over the whole plane (on a GPU
/// launched with one thread per output sample); the passes that end in sums run one group per row (threads across the columns), add the row in a
/// shared-memory tree, apply libvmaf's per-row rounding shift in thread 0 and add the row into the frame's 64-bit
/// totals atomically (integers: exact in any order). The totals must be zero before the first launch of a frame.
/// </summary>
internal static class VmafKernels
{
    /// <summary>Largest group the row kernels use; their shared arrays are this long.</summary>
    public const int MaxGroup = 128;

    private const int SigmaNsq = 65536 << 1;

    // ADM buffer: bands of BandSize ints, in this order.
    public const int RefA0 = 0, RefA1 = 1, RefV = 2, RefH = 3, RefD = 4;
    public const int DisA0 = 5, DisA1 = 6, DisV = 7, DisH = 8, DisD = 9;
    public const int RH = 10, RV = 11, RD = 12, CsfH = 13, CsfV = 14, CsfD = 15, FltH = 16, FltV = 17, FltD = 18;
    public const int AdmBandCount = 19;

    private const int Lo0 = 15826, Lo1 = 27411, Lo2 = 7345, Lo3 = -4240;
    private const int Hi0 = -4240, Hi1 = -7345, Hi2 = 27411, Hi3 = -15826;
    private const int LoSum = 46342;

    private static int Abs(int x) => x < 0 ? -x : x;

    /// <summary>index -1 reads 1, index n reads n-2 (VIF, motion).</summary>
    private static int Mirror(int index, int size) => index < 0 ? -index : index >= size ? 2 * size - index - 2 : index;

    /// <summary>DWT tap k of output i: 2i-1+k, -1 reads 1, n reads n-1.</summary>
    private static int DwtIndex(int i, int k, int n)
    {
        var index = 2 * i - 1 + k;
        index = index < 0 ? -index : index;
        return index >= n ? 2 * n - index - 1 : index;
    }

    /// <summary>The 3x3 masking window's edge rule: -1 reads 1, n reads n-1.</summary>
    private static int CmMirror(int index, int n) => index < 0 ? -index : index >= n ? n - 1 : index;

    /// <summary>Widens packed 8-bit or little-endian 16-bit samples to words, clamped to the bit depth as the CPU path loads them.</summary>
    public static void Widen(int count, ArrayView<byte> raw, ArrayView<ushort> samples, int bytesPerSample, int max)
    {
        var stride = Grid.DimX * Group.DimX;
        for (var index = Grid.GlobalIndex.X; index < count; index += stride)
        {
            WidenAt(index, raw, samples, bytesPerSample, max);
        }
    }

    private static void WidenAt(int index, ArrayView<byte> raw, ArrayView<ushort> samples, int bytesPerSample, int max)
    {
        int v = bytesPerSample == 1 ? raw[index] : raw[2 * index] | (raw[2 * index + 1] << 8);
        samples[index] = (ushort)(v < max ? v : max);
    }

    // ---------------------------------------------------------------- VIF

    /// <summary>Vertical pass of one scale: filtered means (16 bit) and second moments, one thread per sample.</summary>
    public static void VifVertical(int count, ArrayView<ushort> reference, ArrayView<ushort> distorted, ArrayView<uint> moments,
        int plane, VifScaleGeometry g, ArrayView<int> filters)
    {
        var stride = Grid.DimX * Group.DimX;
        for (var index = Grid.GlobalIndex.X; index < count; index += stride)
        {
            VifVerticalAt(index, reference, distorted, moments, plane, g, filters);
        }
    }

    private static void VifVerticalAt(int index, ArrayView<ushort> reference, ArrayView<ushort> distorted, ArrayView<uint> moments,
        int plane, VifScaleGeometry g, ArrayView<int> filters)
    {
        var w = g.Width;
        var y = index / w;
        var x = index - y * w;
        var half = g.Taps / 2;
        uint mu1 = 0, mu2 = 0;
        ulong xx = 0, yy = 0, xy = 0;
        for (var k = 0; k < g.Taps; k++)
        {
            var at = Mirror(y - half + k, g.Height) * w + x;
            var f = (uint)filters[g.FilterStart + k];
            uint r = reference[at];
            uint d = distorted[at];
            var fr = f * r;
            var fd = f * d;
            mu1 += fr;
            mu2 += fd;
            xx += (ulong)fr * r;
            yy += (ulong)fd * d;
            xy += (ulong)fr * d;
        }
        moments[index] = (ushort)((mu1 + g.RoundMu) >> g.ShiftMu);
        moments[plane + index] = (ushort)((mu2 + g.RoundMu) >> g.ShiftMu);
        moments[2 * plane + index] = (uint)((xx + g.RoundSq) >> g.ShiftSq);
        moments[3 * plane + index] = (uint)((yy + g.RoundSq) >> g.ShiftSq);
        moments[4 * plane + index] = (uint)((xy + g.RoundSq) >> g.ShiftSq);
    }

    /// <summary>Horizontal pass and per-pixel log terms of one scale, one group per row; adds the row's four sums.</summary>
    public static void VifRows(ArrayView<uint> moments, int plane, ArrayView<long> results, VifScaleGeometry g, ArrayView<int> filters, ArrayView<ushort> log2)
    {
        var partial = SharedMemory.Allocate<long>(4 * MaxGroup);
        var w = g.Width;
        var y = Grid.IdxX;
        var tid = Group.IdxX;
        var size = Group.DimX;
        var half = g.Taps / 2;
        long numLog = 0, denLog = 0, numNonLog = 0, denNonLog = 0;
        for (var x = tid; x < w; x += size)
        {
            uint mu1 = 0, mu2 = 0;
            ulong xx = 0, yy = 0, xy = 0;
            for (var k = 0; k < g.Taps; k++)
            {
                var at = y * w + Mirror(x - half + k, w);
                var f = (uint)filters[g.FilterStart + k];
                mu1 += f * moments[at];
                mu2 += f * moments[plane + at];
                xx += (ulong)f * moments[2 * plane + at];
                yy += (ulong)f * moments[3 * plane + at];
                xy += (ulong)f * moments[4 * plane + at];
            }
            Accumulate(mu1, mu2, xx, yy, xy, log2, ref numLog, ref denLog, ref numNonLog, ref denNonLog);
        }
        partial[tid] = numLog;
        partial[MaxGroup + tid] = denLog;
        partial[2 * MaxGroup + tid] = numNonLog;
        partial[3 * MaxGroup + tid] = denNonLog;
        Reduce(partial, 4, tid, size);
        if (tid == 0)
        {
            for (var k = 0; k < 4; k++)
            {
                Atomic.Add(ref results[g.ResultSlot + k], partial[k * MaxGroup]);
            }
        }
    }

    /// <summary><see cref="Vmaf.IntegerVif.Accumulate"/> on the device.</summary>
    private static void Accumulate(uint mu1, uint mu2, ulong xx, ulong yy, ulong xy, ArrayView<ushort> log2,
        ref long numLog, ref long denLog, ref long numNonLog, ref long denNonLog)
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
        sigma2Sq = sigma2Sq < 0 ? 0 : sigma2Sq;
        if (sigma1Sq >= SigmaNsq)
        {
            denLog += Log2Of32((uint)(SigmaNsq + sigma1Sq), log2) - 2048 * 17;
            if (sigma12 > 0 && sigma2Sq > 0)
            {
                const double eps = 65536 * 1.0e-10;
                var g = sigma12 / (sigma1Sq + eps);
                // ptxas contracts a multiply feeding an add into one fused step (rounded once); the CPU rounds the
                // product first. XOR with a zero it cannot see (a table entry) keeps the product a separate step.
                var product = ILGPU.Interop.IntAsFloat(ILGPU.Interop.FloatAsInt(g * sigma12) ^ (ulong)log2[0]);
                var svSq = (int)(sigma2Sq - product);
                svSq = svSq < 0 ? 0 : svSq;
                g = g < 100.0 ? g : 100.0;
                var numer1 = (uint)(svSq + SigmaNsq);
                var numer1Tmp = (long)(g * g * sigma1Sq) + numer1;
                numLog += Log2Of64((ulong)numer1Tmp, log2) - Log2Of64(numer1, log2);
            }
        }
        else
        {
            numNonLog += sigma2Sq;
            denNonLog++;
        }
    }

    private static int Log2Of32(uint x, ArrayView<ushort> log2)
    {
        var k = 16 - IntrinsicMath.BitOperations.LeadingZeroCount(x);
        return log2[(int)(x >> k)] + 2048 * k;
    }

    private static int Log2Of64(ulong x, ArrayView<ushort> log2)
    {
        var k = 48 - IntrinsicMath.BitOperations.LeadingZeroCount(x);
        return log2[(int)(x >> k)] + 2048 * k;
    }

    /// <summary>Low-pass with the next scale's filter and keep even rows and columns, one thread per kept sample.</summary>
    public static void VifSubsample(int count, ArrayView<ushort> reference, ArrayView<ushort> distorted,
        ArrayView<ushort> referenceOut, ArrayView<ushort> distortedOut, VifScaleGeometry g, ArrayView<int> filters)
    {
        var stride = Grid.DimX * Group.DimX;
        for (var index = Grid.GlobalIndex.X; index < count; index += stride)
        {
            VifSubsampleAt(index, reference, distorted, referenceOut, distortedOut, g, filters);
        }
    }

    private static void VifSubsampleAt(int index, ArrayView<ushort> reference, ArrayView<ushort> distorted,
        ArrayView<ushort> referenceOut, ArrayView<ushort> distortedOut, VifScaleGeometry g, ArrayView<int> filters)
    {
        var w = g.Width;
        var h = g.Height;
        var w2 = w / 2;
        var i2 = index / w2;
        var j2 = index - i2 * w2;
        var half = g.NextTaps / 2;
        var round = 1u << (g.NextShift - 1);
        uint accumRef = 0, accumDis = 0;
        for (var k = 0; k < g.NextTaps; k++)
        {
            var column = Mirror(2 * j2 - half + k, w);
            uint verticalRef = 0, verticalDis = 0;
            for (var r = 0; r < g.NextTaps; r++)
            {
                var at = Mirror(2 * i2 - half + r, h) * w + column;
                var fr = (uint)filters[g.NextFilterStart + r];
                verticalRef += fr * reference[at];
                verticalDis += fr * distorted[at];
            }
            var f = (uint)filters[g.NextFilterStart + k];
            accumRef += f * (ushort)((verticalRef + round) >> g.NextShift);
            accumDis += f * (ushort)((verticalDis + round) >> g.NextShift);
        }
        referenceOut[index] = (ushort)((accumRef + 32768) >> 16);
        distortedOut[index] = (ushort)((accumDis + 32768) >> 16);
    }

    // ---------------------------------------------------------------- motion

    /// <summary>Vertical 5-tap blur of previous - current, rounded to bit-depth fewer bits, one thread per sample.</summary>
    public static void MotionVertical(int count, ArrayView<ushort> previous, ArrayView<ushort> current, ArrayView<int> blurred,
        int width, int height, int bitDepth)
    {
        var stride = Grid.DimX * Group.DimX;
        for (var index = Grid.GlobalIndex.X; index < count; index += stride)
        {
            MotionVerticalAt(index, previous, current, blurred, width, height, bitDepth);
        }
    }

    private static void MotionVerticalAt(int index, ArrayView<ushort> previous, ArrayView<ushort> current, ArrayView<int> blurred,
        int width, int height, int bitDepth)
    {
        var y = index / width;
        var x = index - y * width;
        var r0 = Mirror(y - 2, height) * width + x;
        var r1 = Mirror(y - 1, height) * width + x;
        var r2 = index;
        var r3 = Mirror(y + 1, height) * width + x;
        var r4 = Mirror(y + 2, height) * width + x;
        var accum = 3571 * (previous[r0] - current[r0])
                  + 16004 * (previous[r1] - current[r1])
                  + 26386 * (previous[r2] - current[r2])
                  + 16004 * (previous[r3] - current[r3])
                  + 3571 * (previous[r4] - current[r4]);
        blurred[index] = (accum + (1 << (bitDepth - 1))) >> bitDepth;
    }

    /// <summary>Horizontal blur and sum of absolute values, one group per row; the row sum wraps at 32 bits as libvmaf's.</summary>
    public static void MotionRows(ArrayView<int> blurred, ArrayView<long> results, int width, int slot)
    {
        var partial = SharedMemory.Allocate<uint>(MaxGroup);
        var y = Grid.IdxX;
        var tid = Group.IdxX;
        var size = Group.DimX;
        var row = y * width;
        uint sum = 0;
        for (var x = tid; x < width; x += size)
        {
            var accum = 3571L * (blurred[row + Mirror(x - 2, width)] + blurred[row + Mirror(x + 2, width)])
                      + 16004L * (blurred[row + Mirror(x - 1, width)] + blurred[row + Mirror(x + 1, width)])
                      + 26386L * blurred[row + x];
            sum += (uint)Abs((int)((accum + 32768) >> 16));
        }
        partial[tid] = sum;
        Group.Barrier();
        for (var half = size / 2; half > 0; half /= 2)
        {
            if (tid < half)
            {
                partial[tid] += partial[tid + half];
            }
            Group.Barrier();
        }
        if (tid == 0)
        {
            Atomic.Add(ref results[slot], (long)partial[0]);
        }
    }

    // ---------------------------------------------------------------- ADM

    /// <summary>Level 0 DWT from samples, 16-bit words, one thread per output position (both frames).</summary>
    public static void AdmDwt0(int count, ArrayView<ushort> reference, ArrayView<ushort> distorted, ArrayView<int> adm, AdmLevelGeometry g)
    {
        var stride = Grid.DimX * Group.DimX;
        for (var index = Grid.GlobalIndex.X; index < count; index += stride)
        {
            AdmDwt0At(index, reference, distorted, adm, g);
        }
    }

    private static void AdmDwt0At(int index, ArrayView<ushort> reference, ArrayView<ushort> distorted, ArrayView<int> adm, AdmLevelGeometry g)
    {
        var i = index / g.Width;
        var j = index - i * g.Width;
        var r0 = DwtIndex(i, 0, g.InHeight) * g.InWidth;
        var r1 = DwtIndex(i, 1, g.InHeight) * g.InWidth;
        var r2 = DwtIndex(i, 2, g.InHeight) * g.InWidth;
        var r3 = DwtIndex(i, 3, g.InHeight) * g.InWidth;
        var c0 = DwtIndex(j, 0, g.InWidth);
        var c1 = DwtIndex(j, 1, g.InWidth);
        var c2 = DwtIndex(j, 2, g.InWidth);
        var c3 = DwtIndex(j, 3, g.InWidth);
        var at = i * g.Stride + j;
        var roundV = 1 << (g.BitDepth - 1);
        for (var frame = 0; frame < 2; frame++)
        {
            var src = frame == 0 ? reference : distorted;
            var band = frame == 0 ? RefA0 : DisA0;
            Column0(src, r0, r1, r2, r3, c0, roundV, g.BitDepth, out var l0, out var h0);
            Column0(src, r0, r1, r2, r3, c1, roundV, g.BitDepth, out var l1, out var h1);
            Column0(src, r0, r1, r2, r3, c2, roundV, g.BitDepth, out var l2, out var h2);
            Column0(src, r0, r1, r2, r3, c3, roundV, g.BitDepth, out var l3, out var h3);
            var size = g.BandSize;
            adm[band * size + at] = (short)((Lo0 * l0 + Lo1 * l1 + Lo2 * l2 + Lo3 * l3 + 32768) >> 16);
            adm[(band + 2) * size + at] = (short)((Hi0 * l0 + Hi1 * l1 + Hi2 * l2 + Hi3 * l3 + 32768) >> 16);
            adm[(band + 3) * size + at] = (short)((Lo0 * h0 + Lo1 * h1 + Lo2 * h2 + Lo3 * h3 + 32768) >> 16);
            adm[(band + 4) * size + at] = (short)((Hi0 * h0 + Hi1 * h1 + Hi2 * h2 + Hi3 * h3 + 32768) >> 16);
        }
    }

    private static void Column0(ArrayView<ushort> src, int r0, int r1, int r2, int r3, int c, int roundV, int shiftV, out int lo, out int hi)
    {
        int s0 = src[r0 + c], s1 = src[r1 + c], s2 = src[r2 + c], s3 = src[r3 + c];
        lo = (short)((Lo0 * s0 + Lo1 * s1 + Lo2 * s2 + Lo3 * s3 - LoSum * roundV + roundV) >> shiftV);
        hi = (short)((Hi0 * s0 + Hi1 * s1 + Hi2 * s2 + Hi3 * s3 + roundV) >> shiftV);
    }

    /// <summary>Levels 1..3 DWT from the previous approximation band, 32/64-bit words, one thread per output position.</summary>
    public static void AdmDwt(int count, ArrayView<int> adm, AdmLevelGeometry g)
    {
        var stride = Grid.DimX * Group.DimX;
        for (var index = Grid.GlobalIndex.X; index < count; index += stride)
        {
            AdmDwtAt(index, adm, g);
        }
    }

    private static void AdmDwtAt(int index, ArrayView<int> adm, AdmLevelGeometry g)
    {
        var i = index / g.Width;
        var j = index - i * g.Width;
        var r0 = DwtIndex(i, 0, g.InHeight) * g.Stride;
        var r1 = DwtIndex(i, 1, g.InHeight) * g.Stride;
        var r2 = DwtIndex(i, 2, g.InHeight) * g.Stride;
        var r3 = DwtIndex(i, 3, g.InHeight) * g.Stride;
        var c0 = DwtIndex(j, 0, g.InWidth);
        var c1 = DwtIndex(j, 1, g.InWidth);
        var c2 = DwtIndex(j, 2, g.InWidth);
        var c3 = DwtIndex(j, 3, g.InWidth);
        var at = i * g.Stride + j;
        var size = g.BandSize;
        var odd = g.Level & 1;
        for (var frame = 0; frame < 2; frame++)
        {
            var base0 = frame == 0 ? RefA0 : DisA0;
            var src = (base0 + 1 - odd) * size;
            Column(adm, src, r0, r1, r2, r3, c0, g.RoundV, g.ShiftV, out var l0, out var h0);
            Column(adm, src, r0, r1, r2, r3, c1, g.RoundV, g.ShiftV, out var l1, out var h1);
            Column(adm, src, r0, r1, r2, r3, c2, g.RoundV, g.ShiftV, out var l2, out var h2);
            Column(adm, src, r0, r1, r2, r3, c3, g.RoundV, g.ShiftV, out var l3, out var h3);
            adm[(base0 + odd) * size + at] = (int)((Lo0 * l0 + Lo1 * l1 + Lo2 * l2 + Lo3 * l3 + g.RoundH) >> g.ShiftH);
            adm[(base0 + 2) * size + at] = (int)((Hi0 * l0 + Hi1 * l1 + Hi2 * l2 + Hi3 * l3 + g.RoundH) >> g.ShiftH);
            adm[(base0 + 3) * size + at] = (int)((Lo0 * h0 + Lo1 * h1 + Lo2 * h2 + Lo3 * h3 + g.RoundH) >> g.ShiftH);
            adm[(base0 + 4) * size + at] = (int)((Hi0 * h0 + Hi1 * h1 + Hi2 * h2 + Hi3 * h3 + g.RoundH) >> g.ShiftH);
        }
    }

    private static void Column(ArrayView<int> adm, int src, int r0, int r1, int r2, int r3, int c, long round, int shift, out long lo, out long hi)
    {
        long s0 = adm[src + r0 + c], s1 = adm[src + r1 + c], s2 = adm[src + r2 + c], s3 = adm[src + r3 + c];
        lo = (int)((Lo0 * s0 + Lo1 * s1 + Lo2 * s2 + Lo3 * s3 + round) >> shift);
        hi = (int)((Hi0 * s0 + Hi1 * s1 + Hi2 * s2 + Hi3 * s3 + round) >> shift);
    }

    /// <summary>Decouple (restored/additive) and CSF of one level, one thread per position of the region with taps.</summary>
    public static void AdmDecoupleCsf(int count, ArrayView<int> adm, AdmLevelGeometry g, float cos1DegSq, ArrayView<int> division)
    {
        var stride = Grid.DimX * Group.DimX;
        for (var index = Grid.GlobalIndex.X; index < count; index += stride)
        {
            AdmDecoupleCsfAt(index, adm, g, cos1DegSq, division);
        }
    }

    private static void AdmDecoupleCsfAt(int index, ArrayView<int> adm, AdmLevelGeometry g, float cos1DegSq, ArrayView<int> division)
    {
        var regionWidth = g.TapRight - g.TapLeft;
        var row = index / regionWidth;
        var i = g.TapTop + row;
        var j = g.TapLeft + (index - row * regionWidth);
        var at = i * g.Stride + j;
        var size = g.BandSize;
        int oh = adm[RefH * size + at], ov = adm[RefV * size + at], od = adm[RefD * size + at];
        int th = adm[DisH * size + at], tv = adm[DisV * size + at], td = adm[DisD * size + at];

        var otDp = (long)oh * th + (long)ov * tv;
        var oMagSq = (long)oh * oh + (long)ov * ov;
        var tMagSq = (long)th * th + (long)tv * tv;
        var dp = (float)otDp / 4096.0;
        var angleFlag = dp >= 0.0f && dp * dp >= cos1DegSq * ((float)oMagSq / 4096.0) * ((float)tMagSq / 4096.0);

        var kh = Ratio(oh, th, division);
        var kv = Ratio(ov, tv, division);
        var kd = Ratio(od, td, division);
        var rh = (int)((kh * oh + 16384) >> 15);
        var rv = (int)((kv * ov + 16384) >> 15);
        var rd = (int)((kd * od + 16384) >> 15);
        if (angleFlag)
        {
            rh = Enhance(rh, kh, oh, th);
            rv = Enhance(rv, kv, ov, tv);
            rd = Enhance(rd, kd, od, td);
        }
        if (g.Level == 0)
        {
            rh = (short)rh;
            rv = (short)rv;
            rd = (short)rd;
            Csf0(adm, size, at, CsfH, FltH, (short)(th - rh), 36453, 16384, 15);
            Csf0(adm, size, at, CsfV, FltV, (short)(tv - rv), 36453, 16384, 15);
            Csf0(adm, size, at, CsfD, FltD, (short)(td - rd), 49417, 65535, 17);
        }
        else
        {
            Csf(adm, size, at, CsfH, FltH, th - rh, g.FactorHv);
            Csf(adm, size, at, CsfV, FltV, tv - rv, g.FactorHv);
            Csf(adm, size, at, CsfD, FltD, td - rd, g.FactorD);
        }
        adm[RH * size + at] = rh;
        adm[RV * size + at] = rv;
        adm[RD * size + at] = rd;
    }

    private static void Csf0(ArrayView<int> adm, int size, int at, int csfBand, int fltBand, int additive, int factor, int round, int shift)
    {
        var value = (short)((factor * additive + round) >> shift);
        adm[csfBand * size + at] = value;
        adm[fltBand * size + at] = (short)((4369 * Abs(value) + 2048) >> 12);
    }

    private static void Csf(ArrayView<int> adm, int size, int at, int csfBand, int fltBand, int additive, uint factor)
    {
        var value = (int)((factor * (long)additive + (1 << 27)) >> 28);
        adm[csfBand * size + at] = value;
        adm[fltBand * size + at] = (int)((143165577L * Abs(value) + int.MinValue) >> 32);
    }

    private static long Ratio(int o, int t, ArrayView<int> division)
    {
        if (o == 0)
        {
            return 32768;
        }
        var abs = (uint)Abs(o);
        var shift = 0;
        if (abs >= 32768)
        {
            shift = 17 - IntrinsicMath.BitOperations.LeadingZeroCount(abs);
            abs = (abs + (1u << (shift - 1))) >> shift;
        }
        var sign = o < 0 ? -1L : 1L;
        var k = (((long)division[(int)abs + 32768] * t) * sign + (1L << (14 + shift))) >> (15 + shift);
        return k < 0 ? 0 : k > 32768 ? 32768 : k;
    }

    private static int Enhance(int restored, long k, int o, int t)
    {
        if (k > 0 && o > 0)
        {
            var grown = restored * 100.0;
            return grown < t ? (int)grown : t;
        }
        if (k > 0 && o < 0)
        {
            var grown = restored * 100.0;
            return grown > t ? (int)grown : t;
        }
        return restored;
    }

    /// <summary>
    /// Numerator (masked restored bands, cubed) and denominator (reference bands, cubed) of one level, one group
    /// per row of the region without taps; each row's six sums are rounded down by libvmaf's per-row shift.
    /// </summary>
    public static void AdmRows(ArrayView<int> adm, ArrayView<long> results, AdmLevelGeometry g)
    {
        var partial = SharedMemory.Allocate<long>(6 * MaxGroup);
        var i = g.Top + Grid.IdxX;
        var tid = Group.IdxX;
        var size = Group.DimX;
        var band = g.BandSize;
        var up = CmMirror(i - 1, g.Height) * g.Stride;
        var mid = i * g.Stride;
        var down = CmMirror(i + 1, g.Height) * g.Stride;
        long numH = 0, numV = 0, numD = 0;
        ulong denH = 0, denV = 0, denD = 0;
        for (var j = g.Left + tid; j < g.Right; j += size)
        {
            var l = CmMirror(j - 1, g.Width);
            var r = CmMirror(j + 1, g.Width);
            var at = mid + j;
            int bh = Abs(adm[RefH * band + at]), bv = Abs(adm[RefV * band + at]), bd = Abs(adm[RefD * band + at]);
            if (g.Level == 0)
            {
                var thr = Neighbours(adm, FltH * band, up, mid, down, l, j, r) + (short)((8738 * Abs(adm[CsfH * band + at]) + 2048) >> 12)
                        + Neighbours(adm, FltV * band, up, mid, down, l, j, r) + (short)((8738 * Abs(adm[CsfV * band + at]) + 2048) >> 12)
                        + Neighbours(adm, FltD * band, up, mid, down, l, j, r) + (short)((8738 * Abs(adm[CsfD * band + at]) + 2048) >> 12);
                numH += Cube(adm[RH * band + at] * 36453, thr << 10, 268435456, 29, g.RoundCubHv, g.ShiftCubHv);
                numV += Cube(adm[RV * band + at] * 36453, thr << 10, 268435456, 29, g.RoundCubHv, g.ShiftCubHv);
                numD += Cube(adm[RD * band + at] * 49417, thr << 12, 536870912, 30, g.RoundCubD, g.ShiftCubD);
                ulong uh = (ushort)bh, uv = (ushort)bv, ud = (ushort)bd;
                denH += uh * uh * uh;
                denV += uv * uv * uv;
                denD += ud * ud * ud;
            }
            else
            {
                var thr = Neighbours(adm, FltH * band, up, mid, down, l, j, r) + (int)((286331153L * Abs(adm[CsfH * band + at]) + int.MinValue) >> 32)
                        + Neighbours(adm, FltV * band, up, mid, down, l, j, r) + (int)((286331153L * Abs(adm[CsfV * band + at]) + int.MinValue) >> 32)
                        + Neighbours(adm, FltD * band, up, mid, down, l, j, r) + (int)((286331153L * Abs(adm[CsfD * band + at]) + int.MinValue) >> 32);
                numH += Cube(Weight(adm[RH * band + at], g.FactorHv), thr, 536870912, 30, g.RoundCubHv, g.ShiftCubHv);
                numV += Cube(Weight(adm[RV * band + at], g.FactorHv), thr, 536870912, 30, g.RoundCubHv, g.ShiftCubHv);
                numD += Cube(Weight(adm[RD * band + at], g.FactorD), thr, 536870912, 30, g.RoundCubHv, g.ShiftCubHv);
                denH += DenTerm((uint)bh, g);
                denV += DenTerm((uint)bv, g);
                denD += DenTerm((uint)bd, g);
            }
        }
        partial[tid] = numH;
        partial[MaxGroup + tid] = numV;
        partial[2 * MaxGroup + tid] = numD;
        partial[3 * MaxGroup + tid] = (long)denH;
        partial[4 * MaxGroup + tid] = (long)denV;
        partial[5 * MaxGroup + tid] = (long)denD;
        Reduce(partial, 6, tid, size);
        if (tid == 0)
        {
            for (var k = 0; k < 3; k++)
            {
                Atomic.Add(ref results[g.ResultSlot + k], (partial[k * MaxGroup] + g.RoundInner) >> g.ShiftInner);
                var den = ((ulong)partial[(3 + k) * MaxGroup] + g.DenRoundAccum) >> g.DenShiftAccum;
                Atomic.Add(ref results[g.ResultSlot + 3 + k], (long)den);
            }
        }
    }

    private static ulong DenTerm(ulong b, AdmLevelGeometry g) =>
        ((((b * b) + g.DenRoundSq) >> g.DenShiftSq) * b + g.DenRoundCub) >> g.DenShiftCub;

    private static int Weight(int value, uint factor) => (int)((value * (long)factor + (1 << 27)) >> 28);

    private static long Cube(int x, int threshold, long roundSq, int shiftSq, long roundCub, int shiftCub)
    {
        x = Abs(x) - threshold;
        x = x < 0 ? 0 : x;
        var xSq = (int)(((long)x * x + roundSq) >> shiftSq);
        return ((long)xSq * x + roundCub) >> shiftCub;
    }

    private static int Neighbours(ArrayView<int> adm, int band, int up, int mid, int down, int l, int c, int r) =>
        adm[band + up + l] + adm[band + up + c] + adm[band + up + r] + adm[band + mid + l] + adm[band + mid + r]
        + adm[band + down + l] + adm[band + down + c] + adm[band + down + r];

    /// <summary>Adds <paramref name="count"/> interleaved arrays of per-thread partials (stride MaxGroup) into element 0 of each.</summary>
    private static void Reduce(ArrayView<long> partial, int count, int tid, int size)
    {
        Group.Barrier();
        for (var half = size / 2; half > 0; half /= 2)
        {
            if (tid < half)
            {
                for (var k = 0; k < count; k++)
                {
                    partial[k * MaxGroup + tid] += partial[k * MaxGroup + tid + half];
                }
            }
            Group.Barrier();
        }
    }
}
