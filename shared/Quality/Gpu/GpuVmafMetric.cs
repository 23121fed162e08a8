using Aqs.Shared.Gpu;
using Aqs.Shared.Quality.Vmaf;
using ILGPU;
using ILGPU.Runtime;

namespace Aqs.Shared.Quality.Gpu;

/// <summary>
/// Streaming VMAF (vmaf_v0.6.1 features: integer VIF at four scales, ADM, motion2) on an ILGPU accelerator, with the
/// integer arithmetic of the CPU path (<see cref="VmafMetric"/>) so the features are equal. Frames are pipelined:
/// <see cref="Submit"/> copies the luma planes into page-locked memory and queues upload, kernels and the read-back
/// of the frame's integer totals on one of several streams, then returns; it waits only when it reuses the slot of
/// the oldest frame in flight, whose features it then finishes on the host. Scores come out in frame order through
/// <see cref="TryTakeScore(out int, out double, out VmafFeatures)"/>, each final one frame later (motion2 =
/// min(motion of this frame, motion of the next)), the last at <see cref="Flush"/>. <see cref="ComputeFeatures"/>
/// is the synchronous form of <see cref="VmafMetric.ComputeFeatures"/>. Device and pinned buffers are allocated
/// once, in the constructor. Not thread-safe.
/// </summary>
public sealed class GpuVmafMetric : IVmafScorer
{
    private readonly GpuContext _gpu;
    private readonly VmafGpuPlan _plan;
    private readonly int _width;
    private readonly int _height;
    private readonly int _bitDepth;
    private readonly int _rowBytes;
    private readonly int _frameBytes;
    private readonly int _samples;
    private readonly int _group;
    private readonly VmafFrameSlot[] _slots;
    /// <summary>Reference frames in page-locked memory, one more than the slots: frame n's is read again by frame n+1 (its previous reference).</summary>
    private readonly PageLockedArray1D<byte>[] _refStaging;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _filters;
    private readonly MemoryBuffer1D<ushort, Stride1D.Dense> _log2;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _division;
    private readonly long[] _sums = new long[VmafResultSlots.Count];
    private readonly double[] _vif = new double[4];

    private readonly Action<AcceleratorStream, KernelConfig, int, ArrayView<byte>, ArrayView<ushort>, int, int> _widen;
    private readonly Action<AcceleratorStream, KernelConfig, int, ArrayView<ushort>, ArrayView<ushort>, ArrayView<uint>, int, VifScaleGeometry, ArrayView<int>> _vifVertical;
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<uint>, int, ArrayView<long>, VifScaleGeometry, ArrayView<int>, ArrayView<ushort>> _vifRows;
    private readonly Action<AcceleratorStream, KernelConfig, int, ArrayView<ushort>, ArrayView<ushort>, ArrayView<ushort>, ArrayView<ushort>, VifScaleGeometry, ArrayView<int>> _vifSubsample;
    private readonly Action<AcceleratorStream, KernelConfig, int, ArrayView<ushort>, ArrayView<ushort>, ArrayView<int>, int, int, int> _motionVertical;
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<int>, ArrayView<long>, int, int> _motionRows;
    private readonly Action<AcceleratorStream, KernelConfig, int, ArrayView<ushort>, ArrayView<ushort>, ArrayView<int>, AdmLevelGeometry> _admDwt0;
    private readonly Action<AcceleratorStream, KernelConfig, int, ArrayView<int>, AdmLevelGeometry> _admDwt;
    private readonly Action<AcceleratorStream, KernelConfig, int, ArrayView<int>, AdmLevelGeometry, float, ArrayView<int>> _admDecoupleCsf;
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<int>, ArrayView<long>, AdmLevelGeometry> _admRows;

    private int _submitted;               // frames given to Submit
    private int _completed;               // frames whose features are finished on the host
    private readonly VmafSequence _sequence;
    private bool _disposed;

    /// <param name="gpu">The accelerator (see <see cref="GpuContext.TryCreate"/>; <see cref="GpuContext.CreateCpu"/> in tests).</param>
    /// <param name="model">The loaded model (see <see cref="VmafModel.TryLoad"/>).</param>
    /// <param name="width">Luma width in samples.</param>
    /// <param name="height">Luma height in samples.</param>
    /// <param name="bitDepth">8, 10 or 12; above 8, samples are 16-bit little-endian words.</param>
    /// <param name="framesInFlight">Frames queued on the device at once (each has its own stream and scratch).</param>
    public GpuVmafMetric(GpuContext gpu, VmafModel model, int width, int height, int bitDepth, int framesInFlight = 3)
    {
        ArgumentNullException.ThrowIfNull(gpu);
        ArgumentNullException.ThrowIfNull(model);
        if (bitDepth is not (8 or 10 or 12))
        {
            throw new ArgumentOutOfRangeException(nameof(bitDepth), bitDepth, "VMAF bit depth must be 8, 10 or 12");
        }
        if (width < VmafMetric.MinimumSize || height < VmafMetric.MinimumSize)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}x{height}",
                $"VMAF needs frames of at least {VmafMetric.MinimumSize}x{VmafMetric.MinimumSize} luma samples");
        }
        if (framesInFlight is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(framesInFlight), framesInFlight, "VMAF frames in flight must be 1..16");
        }
        _gpu = gpu;
        _sequence = new VmafSequence(model);
        _width = width;
        _height = height;
        _bitDepth = bitDepth;
        _plan = new VmafGpuPlan(width, height, bitDepth);
        _rowBytes = bitDepth > 8 ? 2 * width : width;
        _frameBytes = _rowBytes * height;
        _samples = width * height;
        var accelerator = gpu.Accelerator;
        _group = 1;
        while (accelerator.AcceleratorType != AcceleratorType.CPU && _group * 2 <= Math.Min(VmafKernels.MaxGroup, accelerator.MaxNumThreadsPerGroup))
        {
            _group *= 2;
        }

        _filters = accelerator.Allocate1D(IntegerVif.Filters.SelectMany(f => f.Select(c => (int)c)).ToArray());
        _log2 = accelerator.Allocate1D(FixedPointTables.Log2);
        _division = accelerator.Allocate1D(FixedPointTables.Division);
        _slots = new VmafFrameSlot[framesInFlight];
        _refStaging = new PageLockedArray1D<byte>[framesInFlight + 1];
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new VmafFrameSlot(accelerator, _frameBytes, _samples, _plan.AdmBandSize);
        }
        for (var i = 0; i < _refStaging.Length; i++)
        {
            _refStaging[i] = accelerator.AllocatePageLocked1D<byte>(_frameBytes);
        }

        _widen = accelerator.LoadKernel<int, ArrayView<byte>, ArrayView<ushort>, int, int>(VmafKernels.Widen);
        _vifVertical = accelerator.LoadKernel<int, ArrayView<ushort>, ArrayView<ushort>, ArrayView<uint>, int, VifScaleGeometry, ArrayView<int>>(VmafKernels.VifVertical);
        _vifRows = accelerator.LoadKernel<ArrayView<uint>, int, ArrayView<long>, VifScaleGeometry, ArrayView<int>, ArrayView<ushort>>(VmafKernels.VifRows);
        _vifSubsample = accelerator.LoadKernel<int, ArrayView<ushort>, ArrayView<ushort>, ArrayView<ushort>, ArrayView<ushort>, VifScaleGeometry, ArrayView<int>>(VmafKernels.VifSubsample);
        _motionVertical = accelerator.LoadKernel<int, ArrayView<ushort>, ArrayView<ushort>, ArrayView<int>, int, int, int>(VmafKernels.MotionVertical);
        _motionRows = accelerator.LoadKernel<ArrayView<int>, ArrayView<long>, int, int>(VmafKernels.MotionRows);
        _admDwt0 = accelerator.LoadKernel<int, ArrayView<ushort>, ArrayView<ushort>, ArrayView<int>, AdmLevelGeometry>(VmafKernels.AdmDwt0);
        _admDwt = accelerator.LoadKernel<int, ArrayView<int>, AdmLevelGeometry>(VmafKernels.AdmDwt);
        _admDecoupleCsf = accelerator.LoadKernel<int, ArrayView<int>, AdmLevelGeometry, float, ArrayView<int>>(VmafKernels.AdmDecoupleCsf);
        _admRows = accelerator.LoadKernel<ArrayView<int>, ArrayView<long>, AdmLevelGeometry>(VmafKernels.AdmRows);
    }

    public int Width => _width;

    public int Height => _height;

    public int BitDepth => _bitDepth;

    public string Device => _gpu.Description;

    /// <summary>Frames given to <see cref="Submit"/> or <see cref="ComputeFeatures"/> so far.</summary>
    public int FrameCount => _submitted;

    /// <summary>Mean of the final scores so far (every frame once <see cref="Flush"/> ran); NaN before the first.</summary>
    public double PooledMean => _sequence.PooledMean;

    /// <summary>Number of final scores so far.</summary>
    public int ScoredFrames => _sequence.ScoredFrames;

    /// <summary>
    /// Queues the next frame pair and returns without waiting for it (only for the oldest frame in flight when all
    /// slots are busy). Strides are in bytes; above 8 bits a sample is a 16-bit little-endian word. The spans are
    /// copied before the call returns.
    /// </summary>
    public void Submit(ReadOnlySpan<byte> refLuma, int refStride, ReadOnlySpan<byte> distLuma, int distStride)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_sequence.Finished)
        {
            throw new InvalidOperationException("VMAF: Submit after Flush; Restart begins a new sequence");
        }
        Check(refLuma, refStride, "reference");
        Check(distLuma, distStride, "distorted");
        var n = _submitted;
        var slot = _slots[n % _slots.Length];
        if (slot.Frame >= 0)
        {
            Complete(slot);
        }
        // Free now: its last readers were frames n - K - 1 (completed when frame n - 1 took their slot) and n - K (just completed).
        var refStaging = _refStaging[n % _refStaging.Length];
        Pack(refLuma, refStride, refStaging.Span);
        Pack(distLuma, distStride, slot.DisStaging.Span);
        var stream = slot.Stream;
        slot.RawRef.View.CopyFromPageLockedAsync(stream, refStaging);
        slot.RawDis.View.CopyFromPageLockedAsync(stream, slot.DisStaging);
        if (n > 0)
        {
            slot.RawPrevious.View.CopyFromPageLockedAsync(stream, _refStaging[(n - 1) % _refStaging.Length]);
        }
        Enqueue(slot, n > 0, widen: true);
        slot.Frame = n;
        _submitted++;
    }

    /// <summary>Submits the frame pair and waits for its features (motion2 provisional, as <see cref="VmafMetric.ComputeFeatures"/>).</summary>
    public VmafFeatures ComputeFeatures(ReadOnlySpan<byte> refLuma, int refStride, ReadOnlySpan<byte> distLuma, int distStride)
    {
        Submit(refLuma, refStride, distLuma, distStride);
        Drain();
        return _sequence.Last;
    }

    /// <summary>Waits for every frame in flight and finishes its features (scores stay provisional until the next frame or <see cref="Flush"/>).</summary>
    public void Drain()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (_completed < _submitted)
        {
            Complete(_slots[_completed % _slots.Length]);
        }
    }

    /// <summary>Takes the oldest final score not yet taken.</summary>
    public bool TryTakeScore(out int frameIndex, out double vmaf) => TryTakeScore(out frameIndex, out vmaf, out _);

    /// <summary>Takes the oldest final score not yet taken, with the frame's final features.</summary>
    public bool TryTakeScore(out int frameIndex, out double vmaf, out VmafFeatures features) =>
        _sequence.TryTake(out frameIndex, out vmaf, out features);

    /// <summary>Ends the sequence: waits for the frames in flight; the last frame's motion2 is its own motion (libvmaf's rule).</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_sequence.Finished)
        {
            return;
        }
        Drain();
        _sequence.Finish();
    }

    public void Restart()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Drain();
        foreach (var slot in _slots)
        {
            slot.Frame = -1;
        }
        _submitted = 0;
        _completed = 0;
        _sequence.Reset();
    }

    /// <summary>
    /// Benchmark hook: queues the kernels of the frames resident in every slot again (no upload, no host work) and
    /// waits for them; the slots' pending results are finished first.
    /// </summary>
    internal void RunResident(int rounds)
    {
        Drain();
        for (var r = 0; r < rounds; r++)
        {
            foreach (var slot in _slots)
            {
                Enqueue(slot, motion: true, widen: false);
            }
        }
        foreach (var slot in _slots)
        {
            slot.Stream.Synchronize();
        }
    }

    private void Enqueue(VmafFrameSlot slot, bool motion, bool widen)
    {
        var stream = slot.Stream;
        var n = _samples;
        ArrayView<ushort> samples = slot.Samples.View;
        var reference = samples.SubView(0, n);
        var distorted = samples.SubView(n, n);
        var previous = samples.SubView(2 * n, n);
        ArrayView<long> results = slot.Results.View;
        var bytes = _bitDepth > 8 ? 2 : 1;
        var max = (1 << _bitDepth) - 1;
        if (widen)
        {
            _widen(stream, Spread(n), n, slot.RawRef.View, reference, bytes, max);
            _widen(stream, Spread(n), n, slot.RawDis.View, distorted, bytes, max);
            if (motion)
            {
                _widen(stream, Spread(n), n, slot.RawPrevious.View, previous, bytes, max);
            }
        }
        results.MemSetToZero(stream);

        // VIF: scale s reads ref/dis, subsamples into the next scale's planes (A, B, A).
        ArrayView<uint> moments = slot.Moments.View;
        ArrayView<ushort> a = slot.VifA.View;
        ArrayView<ushort> b = slot.VifB.View;
        var quarter = (int)(a.Length / 2);
        var srcRef = reference;
        var srcDis = distorted;
        for (var s = 0; s < 4; s++)
        {
            var g = _plan.Vif[s];
            var count = g.Width * g.Height;
            _vifVertical(stream, Spread(count), count, srcRef, srcDis, moments, n, g, _filters.View);
            _vifRows(stream, new KernelConfig(g.Height, _group), moments, n, results, g, _filters.View, _log2.View);
            if (s < 3)
            {
                var next = s % 2 == 0 ? a : b;
                var nextRef = next.SubView(0, quarter);
                var nextDis = next.SubView(quarter, quarter);
                var kept = (g.Width / 2) * (g.Height / 2);
                _vifSubsample(stream, Spread(kept), kept, srcRef, srcDis, nextRef, nextDis, g, _filters.View);
                srcRef = nextRef;
                srcDis = nextDis;
            }
        }

        // ADM: four DWT levels, each decoupled, CSF-weighted and summed by rows.
        ArrayView<int> adm = slot.Adm.View;
        for (var level = 0; level < 4; level++)
        {
            var g = _plan.Adm[level];
            var positions = g.Width * g.Height;
            if (level == 0)
            {
                _admDwt0(stream, Spread(positions), positions, reference, distorted, adm, g);
            }
            else
            {
                _admDwt(stream, Spread(positions), positions, adm, g);
            }
            var region = (g.TapRight - g.TapLeft) * (g.TapBottom - g.TapTop);
            _admDecoupleCsf(stream, Spread(region), region, adm, g, _plan.Cos1DegSq, _division.View);
            _admRows(stream, new KernelConfig(g.Bottom - g.Top, _group), adm, results, g);
        }

        if (motion)
        {
            ArrayView<int> blurred = slot.Motion.View;
            _motionVertical(stream, Spread(n), n, previous, reference, blurred, _width, _height, _bitDepth);
            _motionRows(stream, new KernelConfig(_height, _group), blurred, results, _width, VmafResultSlots.Motion);
        }
        slot.Results.View.CopyToPageLockedAsync(stream, slot.ResultsHost);
    }

    /// <summary>
    /// Launch shape of a per-sample kernel (a grid-stride loop): on a GPU one thread per sample; on ILGPU's CPU
    /// accelerator, where each thread costs microseconds of bookkeeping, a few single-thread groups that loop.
    /// </summary>
    private KernelConfig Spread(int count)
    {
        if (_gpu.Accelerator.AcceleratorType == AcceleratorType.CPU)
        {
            return new KernelConfig(Math.Max(1, Math.Min(count, 4 * Environment.ProcessorCount)), 1);
        }
        var group = Math.Min(256, _gpu.Accelerator.MaxNumThreadsPerGroup);
        return new KernelConfig(Math.Max(1, (count + group - 1) / group), group);
    }

    /// <summary>Waits for the slot's frame (the oldest in flight) and finishes its features on the host.</summary>
    private void Complete(VmafFrameSlot slot)
    {
        slot.Stream.Synchronize();
        slot.ResultsHost.Span.CopyTo(_sums);
        slot.Frame = -1;
        _plan.Features(_sums, out var adm, out var motion, _vif);
        _sequence.Add(adm, motion, _vif);
        _completed++;
    }

    private void Check(ReadOnlySpan<byte> plane, int stride, string what)
    {
        if (stride < _rowBytes)
        {
            throw new ArgumentException($"VMAF: {what} stride {stride} is less than a row ({_rowBytes} bytes)", nameof(stride));
        }
        var needed = (long)stride * (_height - 1) + _rowBytes;
        if (plane.Length < needed)
        {
            throw new ArgumentException($"VMAF: {what} luma plane has {plane.Length} bytes, {_width}x{_height} at stride {stride} needs {needed}", nameof(plane));
        }
    }

    /// <summary>Copies the plane's rows one after another into page-locked memory (one copy when already packed).</summary>
    private void Pack(ReadOnlySpan<byte> plane, int stride, Span<byte> staging)
    {
        if (stride == _rowBytes)
        {
            plane[.._frameBytes].CopyTo(staging);
            return;
        }
        for (var y = 0; y < _height; y++)
        {
            plane.Slice(y * stride, _rowBytes).CopyTo(staging.Slice(y * _rowBytes, _rowBytes));
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var slot in _slots)
        {
            slot.Stream.Synchronize();
            slot.Dispose();
        }
        foreach (var staging in _refStaging)
        {
            staging.Dispose();
        }
        _filters.Dispose();
        _log2.Dispose();
        _division.Dispose();
    }
}
