using System.Text.Json;
using Aqs.Engine;

namespace Aqs.Kernel.Encode.Control;

/// <summary>
/// Every decision worth telling (<see cref="AqsDecision.Changed"/>) as one JSON line: when, what was chosen, why, and
/// the inputs it was chosen on, so a user can see why the stream changed. Figures that were not known are null.
/// Written as it happens and flushed every second; not thread-safe.
/// </summary>
public sealed class DecisionLog : IDisposable
{
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _json;
    private readonly long _startNs;
    private long _lastFlushNs;

    public DecisionLog(string path, long startNs)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        // Appended: a kernel the supervisor restarted goes on with the file its predecessor wrote.
        _file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);
        // A predecessor killed mid-write (SIGKILL, or taken for hung) leaves its last line torn: end it, so that line
        // alone is lost and ours start on lines of their own.
        if (_file.Length > 0 && !EndsWithNewline(path))
        {
            _file.WriteByte((byte)'\n');
        }
        _json = new Utf8JsonWriter(_file, new JsonWriterOptions { SkipValidation = true });
        _startNs = startNs;
        Path = path;
    }

    public string Path { get; }

    private static bool EndsWithNewline(string path)
    {
        using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        read.Seek(-1, SeekOrigin.End);
        return read.ReadByte() == '\n';
    }
    public long Lines { get; private set; }

    public void Write(AqsDecision d)
    {
        var i = d.Inputs;
        var c = d.Content;
        _json.WriteStartObject();
        _json.WriteNumber("t", Math.Round((d.TimestampNs - _startNs) / 1e9, 4));
        _json.WriteNumber("frame", d.FrameId);
        _json.WriteString("mode", d.Mode);
        _json.WriteString("action", d.Encode ? (d.ForceKeyframe ? "keyframe" : "encode") : "skip:" + d.Skip.ToString().ToLowerInvariant());
        _json.WriteString("rung", d.Rung.ToString());
        _json.WriteNumber("width", d.Rung.Width);
        _json.WriteNumber("height", d.Rung.Height);
        _json.WriteNumber("fps", Math.Round(d.Rung.Fps, 3));
        _json.WriteNumber("bit_depth", d.Rung.BitDepth);
        _json.WriteNumber("bitrate_bps", d.BitrateBps);
        _json.WriteNumber("target_bps", d.TargetBitrateBps);
        _json.WriteNumber("frame_budget_bytes", d.FrameBudgetBytes);
        _json.WriteString("preset", d.Preset);
        Number("predicted_vmaf", d.PredictedVmaf);
        _json.WriteString("reason", d.Reason);
        _json.WriteStartObject("inputs");
        Number("estimate_bps", i.EstimateBps);
        Number("delivery_bps", i.DeliveryBps);
        Number("drain_bps", i.DrainRateBps);
        Number("queue_reported_ms", i.QueueReportedMs);
        Number("queue_now_ms", i.QueueNowMs);
        Number("loss", i.LossRate);
        Number("rtt_ms", i.RttMs);
        Number("fec_overhead", i.FecOverhead);
        Number("capacity_bps", i.CapacityBps);
        Number("delivered_vmaf", i.DeliveredVmaf);
        Number("delivered_ssim", i.DeliveredSsim);
        Number("delivered_latency_p95_ms", i.DeliveredLatencyP95Ms);
        Number("encode_ms", i.EncodeMs);
        Number("measured_bps", i.MeasuredBitrateBps);
        Number("input_queue_fill", i.InputQueueFill);
        Number("process_cpu_cores", i.ProcessCpuCores);
        Number("machine_cpu", i.MachineCpu);
        Number("gpu_utilization", i.GpuUtilization);
        Number("power_w", i.PowerW);
        _json.WriteEndObject();
        _json.WriteStartObject("content");
        Number("motion", c.Motion);
        Number("temporal", c.TemporalComplexity);
        Number("spatial", c.SpatialComplexity);
        Number("gradient", c.GradientEnergy);
        Number("noise", c.NoiseSigma);
        _json.WriteBoolean("scene_change", c.SceneChange);
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.Flush();
        _file.WriteByte((byte)'\n');
        Lines++;
        if (d.TimestampNs - _lastFlushNs > 1_000_000_000)
        {
            _lastFlushNs = d.TimestampNs;
            _file.Flush();
        }
        _json.Reset();
    }

    private void Number(string name, double value)
    {
        if (double.IsFinite(value))
        {
            _json.WriteNumber(name, Math.Round(value, 4));
        }
        else
        {
            _json.WriteNull(name);
        }
    }

    public void Dispose()
    {
        _json.Dispose();
        _file.Dispose();
    }
}
