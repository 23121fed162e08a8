namespace Aqs.Shared.Quality.Vmaf;

/// <summary>
/// Streaming VMAF v0.6.1 of one sequence, wherever it runs (<see cref="VmafMetric"/> on CPU threads,
/// <c>GpuVmafMetric</c> on an accelerator); both give the same features and scores. A frame's score becomes final
/// one frame later (motion2 needs the next frame), the last one at <see cref="Flush"/>.
/// </summary>
public interface IVmafScorer : IDisposable
{
    int Width { get; }

    int Height { get; }

    int BitDepth { get; }

    /// <summary>Where the features are computed, for summaries (e.g. "CPU, 2 threads", "Cuda: NVIDIA H100 ...").</summary>
    string Device { get; }

    /// <summary>Frames given to <see cref="ComputeFeatures"/> since the sequence began.</summary>
    int FrameCount { get; }

    /// <summary>Mean of the final scores of this sequence; NaN before the first.</summary>
    double PooledMean { get; }

    /// <summary>Final scores of this sequence so far.</summary>
    int ScoredFrames { get; }

    /// <summary>Features of the next frame pair (motion2 provisional). Strides in bytes; above 8 bits, 16-bit words.</summary>
    VmafFeatures ComputeFeatures(ReadOnlySpan<byte> refLuma, int refStride, ReadOnlySpan<byte> distLuma, int distStride);

    bool TryTakeScore(out int frameIndex, out double vmaf);

    bool TryTakeScore(out int frameIndex, out double vmaf, out VmafFeatures features);

    /// <summary>Ends the sequence: the last frame's motion2 is its own motion (libvmaf's rule).</summary>
    void Flush();

    /// <summary>
    /// Ends the sequence (as <see cref="Flush"/>) and begins a new one with the same buffers: frame indices start
    /// at 0 again, the pooled mean starts over, scores not yet taken are dropped.
    /// </summary>
    void Restart();
}
