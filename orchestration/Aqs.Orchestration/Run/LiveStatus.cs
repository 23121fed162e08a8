using System.Globalization;
using Aqs.Shared.Contracts;

namespace Aqs.Orchestration.Run;

/// <summary>
/// The newest figures the kernels published on the control plane, for the progress line while a
/// run goes on. The final summary comes from the kernels' own totals, not from here.
/// </summary>
public sealed class LiveStatus
{
    private EncoderStats? _encoder;
    private NetworkStats? _network;
    private QualityFeedback? _quality;
    private long _encoderBytes;
    private long _encoderBytesAtLastLine;
    private long _framesAtLastLine;

    /// <summary>True once the encoder has reported a frame: the pipeline is flowing.</summary>
    public bool Flowing => _encoder is not null;

    public void Attach(ControlPlane control)
    {
        control.Subscribe<EncoderStats>(s =>
        {
            _encoder = s;
            _encoderBytes += s.Bytes;
        });
        control.Subscribe<NetworkStats>(s => _network = s);
        control.Subscribe<QualityFeedback>(s => _quality = s);
    }

    /// <summary>One line describing the last <paramref name="interval"/>.</summary>
    public string Line(TimeSpan elapsed, TimeSpan total, TimeSpan interval)
    {
        var frames = _encoder?.FramesEncoded ?? 0;
        var fps = (frames - _framesAtLastLine) / interval.TotalSeconds;
        var mbps = (_encoderBytes - _encoderBytesAtLastLine) * 8 / interval.TotalSeconds / 1e6;
        _framesAtLastLine = frames;
        _encoderBytesAtLastLine = _encoderBytes;
        var parts = new List<string> { $"{elapsed.TotalSeconds,3:F0}/{total.TotalSeconds:F0} s" };
        if (_encoder is not null)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"enc {fps:F0} fps {mbps:F2} Mbit/s {_encoder.Width}x{_encoder.Height}"));
        }
        if (_network is not null)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"net est {_network.EstimatedBandwidthBps / 1e6:F1} Mbit/s loss {_network.LossRate * 100:F1}%"));
        }
        if (_quality is not null)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"shown {_quality.FramesDisplayed} SSIM {_quality.Ssim:F4} PSNR {_quality.PsnrDb:F1} dB {_quality.LatencyMs:F0} ms"));
        }
        return string.Join(" | ", parts);
    }
}
