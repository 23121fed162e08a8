using System.Text.Json;
using Aqs.Shared.Cli;
using Aqs.Shared.Frames;
using Aqs.Shared.Gpu;

namespace Aqs.Shared.Quality;

/// <summary>SSIM and PSNR of one frame pair.</summary>
public readonly record struct QualityFrame(long Index, SsimResult Ssim, PsnrResult Psnr);

/// <summary>Sees each frame pair as <see cref="QualityReport.Compute"/> scores it, for metrics computed beside it (VMAF).</summary>
public delegate void FramePairObserver(long index, in PlanarFrame reference, in PlanarFrame distorted);

/// <summary>
/// Scores a distorted sequence against its reference, frame by frame, and pools the results as FFmpeg's
/// end-of-run lines do. Inputs are packed planar frames (<see cref="FrameLayout"/> order) read by the caller;
/// <c>orchestration/aqs quality</c> decodes them and hands them here. Bad input (mismatched sizes, formats or
/// frame counts, short frames) fails with one <see cref="UserFacingException"/> line.
/// </summary>
public sealed class QualityReport
{
    private readonly List<QualityFrame> _frames = [];

    private QualityReport(FrameLayout layout, SsimResult ssim, PsnrResult psnr, double psnrMin, double psnrMax)
    {
        Layout = layout;
        Ssim = ssim;
        Psnr = psnr;
        PsnrMin = psnrMin;
        PsnrMax = psnrMax;
    }

    public FrameLayout Layout { get; }

    public IReadOnlyList<QualityFrame> Frames => _frames;

    /// <summary>Pooled SSIM: mean of per-frame values.</summary>
    public SsimResult Ssim { get; }

    /// <summary>Pooled PSNR: PSNR of the frame-averaged MSE.</summary>
    public PsnrResult Psnr { get; }

    /// <summary>FFmpeg's <c>min:</c>, PSNR of the worst frame's average MSE.</summary>
    public double PsnrMin { get; }

    /// <summary>FFmpeg's <c>max:</c>, PSNR of the best frame's average MSE.</summary>
    public double PsnrMax { get; }

    /// <summary>
    /// Scores <paramref name="distorted"/> against <paramref name="reference"/>. <paramref name="progress"/>
    /// gets the number of frames done after each frame (for a progress bar); <paramref name="observer"/>, when
    /// given, sees each checked frame pair too; <paramref name="gpu"/>, when given, runs SSIM and PSNR there.
    /// </summary>
    public static QualityReport Compute(
        FrameLayout referenceLayout, IEnumerable<ReadOnlyMemory<byte>> reference,
        FrameLayout distortedLayout, IEnumerable<ReadOnlyMemory<byte>> distorted,
        IProgress<long>? progress = null, FramePairObserver? observer = null, GpuContext? gpu = null)
    {
        if (referenceLayout.Width != distortedLayout.Width || referenceLayout.Height != distortedLayout.Height)
        {
            throw new UserFacingException($"quality: frame sizes differ: reference {referenceLayout.Width}x{referenceLayout.Height}, distorted {distortedLayout.Width}x{distortedLayout.Height}");
        }
        if (referenceLayout.Format != distortedLayout.Format)
        {
            throw new UserFacingException($"quality: pixel formats differ: reference {referenceLayout.Format.FfmpegName()}, distorted {distortedLayout.Format.FfmpegName()} (bit depth {referenceLayout.Format.BitDepth()} vs {distortedLayout.Format.BitDepth()})");
        }
        var layout = referenceLayout;
        using var pass = new FrameQualityPass(layout, gpu: gpu);
        var ssimPool = new SsimPool();
        var psnrPool = new PsnrPool(layout);
        var frames = new List<QualityFrame>();
        using var refs = reference.GetEnumerator();
        using var dists = distorted.GetEnumerator();
        long index = 0;
        while (true)
        {
            var hasRef = refs.MoveNext();
            var hasDist = dists.MoveNext();
            if (hasRef != hasDist)
            {
                var (longer, shorter) = hasRef ? ("reference", "distorted") : ("distorted", "reference");
                throw new UserFacingException($"quality: frame counts differ: {shorter} ends after {index} frames, {longer} has more");
            }
            if (!hasRef)
            {
                break;
            }
            var r = Frame(layout, refs.Current.Span, "reference", index);
            var d = Frame(layout, dists.Current.Span, "distorted", index);
            var (s, p, _) = pass.Compute(r, d);
            ssimPool.Add(s);
            psnrPool.Add(p);
            frames.Add(new QualityFrame(index, s, p));
            observer?.Invoke(index, r, d);
            index++;
            progress?.Report(index);
        }
        if (index == 0)
        {
            throw new UserFacingException("quality: no frames to compare (both inputs are empty)");
        }
        var report = new QualityReport(layout, ssimPool.Result, psnrPool.Result, psnrPool.MinAverage, psnrPool.MaxAverage);
        report._frames.AddRange(frames);
        return report;
    }

    private static PlanarFrame Frame(FrameLayout layout, ReadOnlySpan<byte> data, string which, long index)
    {
        if (data.Length < layout.FrameSize)
        {
            throw new UserFacingException($"quality: {which} frame {index} has {data.Length} bytes, a {layout} frame needs {layout.FrameSize}");
        }
        return PlanarFrame.FromPacked(layout, data);
    }

    /// <summary>FFmpeg-style summary lines (dB values capped at <see cref="Decibels.Cap"/> where FFmpeg prints inf).</summary>
    public string Summary()
    {
        var ic = System.Globalization.CultureInfo.InvariantCulture;
        var planes = Layout.PlaneCount;
        var ssim = planes == 1
            ? string.Format(ic, "SSIM Y:{0:F6} ({1:F6})", Ssim.Y, Ssim.YDb)
            : string.Format(ic, "SSIM Y:{0:F6} ({1:F6}) U:{2:F6} ({3:F6}) V:{4:F6} ({5:F6})", Ssim.Y, Ssim.YDb, Ssim.U, Ssim.UDb, Ssim.V, Ssim.VDb);
        ssim += string.Format(ic, " All:{0:F6} ({1:F6})", Ssim.All, Ssim.AllDb);
        var psnr = planes == 1
            ? string.Format(ic, "PSNR y:{0:F6}", Psnr.Y)
            : string.Format(ic, "PSNR y:{0:F6} u:{1:F6} v:{2:F6}", Psnr.Y, Psnr.U, Psnr.V);
        psnr += string.Format(ic, " average:{0:F6} min:{1:F6} max:{2:F6}", Psnr.Average, PsnrMin, PsnrMax);
        return ssim + Environment.NewLine + psnr;
    }

    /// <summary>Writes per-frame and pooled values as JSON (System.Text.Json); every number is finite.</summary>
    public void WriteJson(Stream stream)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("width", Layout.Width);
        w.WriteNumber("height", Layout.Height);
        w.WriteString("pix_fmt", Layout.Format.FfmpegName());
        w.WriteNumber("frames", _frames.Count);
        w.WriteNumber("db_cap", Decibels.Cap);
        w.WriteStartObject("pooled");
        WriteSsim(w, "ssim", Ssim);
        WritePsnr(w, "psnr", Psnr);
        w.WriteNumber("psnr_min", PsnrMin);
        w.WriteNumber("psnr_max", PsnrMax);
        w.WriteEndObject();
        w.WriteStartArray("per_frame");
        foreach (var f in _frames)
        {
            w.WriteStartObject();
            w.WriteNumber("n", f.Index);
            WriteSsim(w, "ssim", f.Ssim);
            WritePsnr(w, "psnr", f.Psnr);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public void WriteJson(string path)
    {
        using var stream = File.Create(path);
        WriteJson(stream);
    }

    private static void WriteSsim(Utf8JsonWriter w, string name, SsimResult s)
    {
        w.WriteStartObject(name);
        w.WriteNumber("Y", s.Y);
        w.WriteNumber("U", s.U);
        w.WriteNumber("V", s.V);
        w.WriteNumber("All", s.All);
        w.WriteNumber("All_dB", s.AllDb);
        w.WriteEndObject();
    }

    private static void WritePsnr(Utf8JsonWriter w, string name, PsnrResult p)
    {
        w.WriteStartObject(name);
        w.WriteNumber("y", p.Y);
        w.WriteNumber("u", p.U);
        w.WriteNumber("v", p.V);
        w.WriteNumber("average", p.Average);
        w.WriteNumber("mse_y", p.MseY);
        w.WriteNumber("mse_u", p.MseU);
        w.WriteNumber("mse_v", p.MseV);
        w.WriteNumber("mse_avg", p.MseAverage);
        w.WriteEndObject();
    }
}
