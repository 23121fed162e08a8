using Aqs.Kernel.Display.Pictures;

namespace Aqs.Kernel.Display.Measurement;

/// <summary>Quality means over the pictures measured in one feedback window (NaN when none was).</summary>
public readonly record struct QualityWindow
{
    public static readonly QualityWindow Empty = new();

    public QualityWindow()
    {
    }

    public int Measured { get; init; }
    public long FirstFrameId { get; init; } = -1;
    public long LastFrameId { get; init; } = -1;
    public double SsimSum { get; init; }
    public double PsnrSum { get; init; }
    public double PqmSum { get; init; }
    public int PqmCount { get; init; }
    /// <summary>Size of the newest measured picture as decoded (its rung).</summary>
    public int Width { get; init; }
    public int Height { get; init; }
    /// <summary>Mean VMAF of the frames scored in the window; NaN when none was (0 would read as a terrible picture).</summary>
    public double Vmaf { get; init; } = double.NaN;

    public double Ssim => Measured > 0 ? SsimSum / Measured : double.NaN;
    public double Psnr => Measured > 0 ? PsnrSum / Measured : double.NaN;
    public double Pqm => PqmCount > 0 ? PqmSum / PqmCount : double.NaN;

    public QualityWindow Add(Picture picture, double ssim, double psnr, double pqm) => this with
    {
        Measured = Measured + 1,
        FirstFrameId = FirstFrameId < 0 ? picture.FrameId : FirstFrameId,
        LastFrameId = picture.FrameId,
        SsimSum = SsimSum + ssim,
        PsnrSum = PsnrSum + psnr,
        PqmSum = PqmSum + (double.IsNaN(pqm) ? 0 : pqm),
        PqmCount = PqmCount + (double.IsNaN(pqm) ? 0 : 1),
        Width = picture.Layout.Width,
        Height = picture.Layout.Height,
    };
}

/// <summary>What the quality worker measured since the start.</summary>
public sealed record QualityTotals
{
    public long Offered { get; init; }
    public long Measured { get; init; }
    /// <summary>Offers refused because the queue was full or the core share spent.</summary>
    public long SampledOut { get; init; }
    /// <summary>Accepted, but the source frame was no longer (or never) kept.</summary>
    public long NoReference { get; init; }
    public long BadReference { get; init; }
    public string? BadReferenceReason { get; init; }
    /// <summary>Measured pictures that came at another rung and were scaled to the source first.</summary>
    public long Scaled { get; init; }
    public double? SsimMean { get; init; }
    public double? SsimDbMean { get; init; }
    public double? PsnrMean { get; init; }
    public double? PqmMean { get; init; }
    public long PqmWithVmaf { get; init; }
    public long OnScreenOffered { get; init; }
    public long OnScreenScored { get; init; }
    /// <summary>Scored refreshes where the screen showed another picture than the source frame due.</summary>
    public long OnScreenStale { get; init; }
    public double? OnScreenSsimMean { get; init; }
    public string? Device { get; init; }
    public long ColorMismatches { get; init; }
    public Aqs.Shared.Frames.ColorDescription? ShownColor { get; init; }
    public string? Failure { get; init; }
}
