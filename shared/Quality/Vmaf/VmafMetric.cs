using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Aqs.Shared.Quality.Vmaf;

/// <summary>
/// Streaming VMAF of one reference/distorted sequence, as libvmaf's <c>vmaf</c> tool scores it with its default
/// integer feature extractors. Feed luma planes frame by frame with <see cref="ComputeFeatures"/>; a frame's score
/// becomes final one frame later (motion2 = min(motion of this frame, motion of the next)), the last one at
/// <see cref="Flush"/>. By default one thread does the work; with <c>threads</c> above 1 the features of each
/// frame are spread over that many threads (the caller's included) with identical results. Calls must not overlap
/// (one caller at a time). All buffers and threads are made in the constructor; <see cref="Dispose"/> stops the threads.
/// </summary>
public sealed class VmafMetric : IVmafScorer
{
    private readonly int _width;
    private readonly int _height;
    private readonly int _bitDepth;
    private readonly IntegerVif? _vif;
    private readonly IntegerAdm? _adm;
    private readonly IntegerMotion? _motion;
    private readonly ParallelFeatures? _parallel;
    private readonly int _threads;
    private ushort[] _ref, _previousRef;
    private readonly ushort[] _dis;
    private readonly double[] _vifScores = new double[4];

    private readonly VmafSequence _sequence;
    private bool _disposed;

    /// <param name="model">The loaded model (see <see cref="VmafModel.TryLoad"/>).</param>
    /// <param name="width">Luma width in samples.</param>
    /// <param name="height">Luma height in samples.</param>
    /// <param name="bitDepth">8, 10 or 12; above 8, samples are 16-bit little-endian words.</param>
    /// <param name="threads">Threads per frame: 1 (default) computes on the caller's thread only; 0 means one per
    /// processor (<see cref="Environment.ProcessorCount"/>).</param>
    public VmafMetric(VmafModel model, int width, int height, int bitDepth, int threads = 1)
        : this(model, width, height, bitDepth, simd: true, threads)
    {
    }

    /// <param name="simd">False forces the scalar code (tests compare both paths).</param>
    internal VmafMetric(VmafModel model, int width, int height, int bitDepth, bool simd, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (bitDepth is not (8 or 10 or 12))
        {
            throw new ArgumentOutOfRangeException(nameof(bitDepth), bitDepth, "VMAF bit depth must be 8, 10 or 12");
        }
        if (width < MinimumSize || height < MinimumSize)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}x{height}",
                $"VMAF needs frames of at least {MinimumSize}x{MinimumSize} luma samples");
        }
        if (threads < 0 || threads > MaximumThreads)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, $"VMAF threads must be 0 (one per processor) to {MaximumThreads}");
        }
        _sequence = new VmafSequence(model);
        _width = width;
        _height = height;
        _bitDepth = bitDepth;
        _threads = threads == 0 ? Environment.ProcessorCount : threads;
        if (_threads > 1)
        {
            _parallel = new ParallelFeatures(width, height, bitDepth, simd, _threads);
        }
        else
        {
            _vif = new IntegerVif(width, height, bitDepth, simd);
            _adm = new IntegerAdm(width, height, bitDepth, simd);
            _motion = new IntegerMotion(width, height, bitDepth, simd);
        }
        _ref = new ushort[width * height];
        _previousRef = new ushort[width * height];
        _dis = new ushort[width * height];
    }

    /// <summary>Smallest width and height: four halvings must leave the filters (up to 17 taps) room to mirror.</summary>
    public const int MinimumSize = 48;

    /// <summary>Largest thread count accepted.</summary>
    public const int MaximumThreads = 256;

    /// <summary>Threads that compute each frame (1: the caller's only).</summary>
    public int Threads => _threads;

    public int Width => _width;

    public string Device => _threads == 1 ? "CPU, 1 thread" : $"CPU, {_threads} threads";

    public int Height => _height;

    public int BitDepth => _bitDepth;

    /// <summary>Frames given to <see cref="ComputeFeatures"/> so far.</summary>
    public int FrameCount => _sequence.Count;

    /// <summary>Mean of the final scores so far (every frame once <see cref="Flush"/> ran); NaN before the first.</summary>
    public double PooledMean => _sequence.PooledMean;

    /// <summary>Number of final scores so far.</summary>
    public int ScoredFrames => _sequence.ScoredFrames;

    /// <summary>
    /// Computes the features of the next frame pair. Strides are in bytes; above 8 bits a sample is a 16-bit
    /// little-endian word. The returned <see cref="VmafFeatures.Motion2"/> is provisional (the value it keeps if
    /// this frame turns out to be the last); the final one comes with the score via <see cref="TryTakeScore(out int, out double, out VmafFeatures)"/>.
    /// </summary>
    public VmafFeatures ComputeFeatures(ReadOnlySpan<byte> refLuma, int refStride, ReadOnlySpan<byte> distLuma, int distStride)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_sequence.Finished)
        {
            throw new InvalidOperationException("VMAF: ComputeFeatures after Flush; Restart begins a new sequence");
        }
        Load(refLuma, refStride, _ref, "reference");
        Load(distLuma, distStride, _dis, "distorted");

        double motion, adm;
        if (_parallel is not null)
        {
            _parallel.Compute(_ref, _dis, _sequence.Count == 0 ? null : _previousRef, _vifScores, out adm, out motion);
        }
        else
        {
            motion = _sequence.Count == 0 ? 0.0 : _motion!.Score(_previousRef, _ref);
            _vif!.Compute(_ref, _dis, _vifScores);
            adm = _adm!.Compute(_ref, _dis);
        }

        var features = _sequence.Add(adm, motion, _vifScores);
        (_ref, _previousRef) = (_previousRef, _ref);
        return features;
    }

    /// <summary>Takes the oldest final score not yet taken.</summary>
    public bool TryTakeScore(out int frameIndex, out double vmaf) => TryTakeScore(out frameIndex, out vmaf, out _);

    /// <summary>Takes the oldest final score not yet taken, with the frame's final features.</summary>
    public bool TryTakeScore(out int frameIndex, out double vmaf, out VmafFeatures features) =>
        _sequence.TryTake(out frameIndex, out vmaf, out features);

    /// <summary>Ends the sequence: the last frame's motion2 is its own motion (libvmaf's rule), its score becomes final.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _sequence.Finish();
    }

    public void Restart()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _sequence.Reset();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _parallel?.Dispose();
    }

    private void Load(ReadOnlySpan<byte> plane, int stride, ushort[] dst, string what)
    {
        var rowBytes = _bitDepth > 8 ? _width * 2 : _width;
        if (stride < rowBytes)
        {
            throw new ArgumentException($"VMAF: {what} stride {stride} is less than a row ({rowBytes} bytes)", nameof(stride));
        }
        var needed = (long)stride * (_height - 1) + rowBytes;
        if (plane.Length < needed)
        {
            throw new ArgumentException($"VMAF: {what} luma plane has {plane.Length} bytes, {_width}x{_height} at stride {stride} needs {needed}", nameof(plane));
        }
        var max = (ushort)((1 << _bitDepth) - 1);
        for (var i = 0; i < _height; i++)
        {
            var row = dst.AsSpan(i * _width, _width);
            if (_bitDepth == 8)
            {
                WidenRow(plane.Slice(i * stride, _width), row);
            }
            else
            {
                // Out-of-range words would overflow the fixed-point pipeline; clamp them to the bit depth.
                ClampRow(MemoryMarshal.Cast<byte, ushort>(plane.Slice(i * stride, rowBytes)), row, max);
            }
        }
    }

    private static void WidenRow(ReadOnlySpan<byte> src, Span<ushort> dst)
    {
        var j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var s = ref MemoryMarshal.GetReference(src);
            ref var d = ref MemoryMarshal.GetReference(dst);
            for (; j + 32 <= src.Length; j += 32)
            {
                var bytes = Vector256.LoadUnsafe(ref s, (nuint)j);
                Vector256.WidenLower(bytes).StoreUnsafe(ref d, (nuint)j);
                Vector256.WidenUpper(bytes).StoreUnsafe(ref d, (nuint)j + 16);
            }
        }
        for (; j < src.Length; j++)
        {
            dst[j] = src[j];
        }
    }

    private static void ClampRow(ReadOnlySpan<ushort> src, Span<ushort> dst, ushort max)
    {
        var j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var s = ref MemoryMarshal.GetReference(src);
            ref var d = ref MemoryMarshal.GetReference(dst);
            var vMax = Vector256.Create(max);
            for (; j + 16 <= src.Length; j += 16)
            {
                Vector256.Min(Vector256.LoadUnsafe(ref s, (nuint)j), vMax).StoreUnsafe(ref d, (nuint)j);
            }
        }
        for (; j < src.Length; j++)
        {
            dst[j] = Math.Min(src[j], max);
        }
    }
}
