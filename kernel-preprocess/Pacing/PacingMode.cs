namespace Aqs.Kernel.Preprocess.Pacing;

/// <summary>How fast frames leave the source.</summary>
public enum PacingMode
{
    /// <summary>At the source's own timestamps (scaled by the speed), anchored at the first frame: live behaviour.</summary>
    Realtime,
    /// <summary>As fast as the pipeline takes them: benchmarks and batch runs.</summary>
    Asap,
}
