using Aqs.Engine;
using Aqs.Engine.Config;
using Aqs.Kernel.Encode.Control;
using Aqs.Kernel.Network.Emulation.Simulation;
using Aqs.Kernel.Network.Transport;

namespace Aqs.Kernel.Encode.Tests.Infrastructure;

/// <summary>
/// The real engine as the sending application of a <see cref="ClosedLoopSimulation"/>: each captured frame is a
/// <see cref="MovingTexture"/> picture, the link reaches the engine through the same contract mapping Kernel C uses
/// (snapshot → NetworkStats → <see cref="EngineInputs"/>), and what the engine lets through is encoded by
/// <see cref="Encoder"/>. A <see cref="QualityOracle"/>, when given, plays the display's measurement.
/// Simulation time (µs from 0) is the engine's clock (×1000).
/// </summary>
internal sealed class EngineSender : ISimulatedSender, IDisposable
{
    private readonly double _fps;
    private readonly List<(int Frame, Rung Rung, long Bitrate, int Bytes)> _encoded = [];
    private readonly Dictionary<int, (Rung Rung, long Bitrate, int Bytes)> _byFrame = [];
    private readonly List<double> _window = [];
    private long _windowStartUs = -1;
    private int _windowFirst = -1;

    public EngineSender(AqsConfig config, double fps, ISimEncoder encoder, int width = 320, int height = 180, EncoderHardware? hardware = null)
    {
        _fps = fps;
        Engine = AqsEngine.Init(config, hardware ?? new EncoderHardware { Codec = "libx264", CodecDepths = [8, 10] }, Notices.Add);
        Texture = new MovingTexture(width, height);
        Encoder = encoder;
    }

    public AqsEngine Engine { get; }
    public MovingTexture Texture { get; }
    public ISimEncoder Encoder { get; }
    public List<AqsDecision> Decisions { get; } = [];
    public List<string> Notices { get; } = [];
    /// <summary>Plays the display: VMAF a delivered frame shows; null: no quality feedback.</summary>
    public Func<Rung, long, double>? QualityOracle { get; init; }
    /// <summary>Runs before each capture (change motion, cut, raise encode time...).</summary>
    public Action<long, EngineSender>? Script { get; init; }
    /// <summary>Encode time the simulated encoder reports, ms.</summary>
    public double EncodeMs { get; set; } = 4;
    public List<(long TimeUs, double Vmaf)> DeliveredQuality { get; } = [];

    public SimulatedFrame Capture(int frame, long nowUs, LinkSnapshot? link)
    {
        Script?.Invoke(nowUs, this);
        var luma = Texture.Next();
        NetworkConstraints? net = link is { } l ? EngineInputs.From(l.ToNetworkStats(nowUs * 1000)) : null;
        var decision = Engine.ProcessFrame(new FrameInput(luma, frame, (long)(frame * 1e9 / _fps), nowUs * 1000, _fps), net);
        Decisions.Add(decision);
        if (!decision.Encode)
        {
            return SimulatedFrame.Skipped;
        }
        var bytes = Encoder.Encode(decision, Texture.Pixels);
        Engine.OnEncoded(new EncodedFrameReport(frame, bytes, EncodeMs, decision.ForceKeyframe, nowUs * 1000));
        _encoded.Add((frame, decision.Rung, decision.BitrateBps, bytes));
        _byFrame[frame] = (decision.Rung, decision.BitrateBps, bytes);
        return new SimulatedFrame(bytes, decision.ForceKeyframe);
    }

    /// <summary>Every delivery: frame and arrival time, µs.</summary>
    public List<(int Frame, long ArrivalUs)> Deliveries { get; } = [];

    public void Delivered(int frame, long arrivalUs)
    {
        Deliveries.Add((frame, arrivalUs));
        if (QualityOracle is null || !_byFrame.TryGetValue(frame, out var sent))
        {
            return;
        }
        var vmaf = QualityOracle(sent.Rung, sent.Bitrate);
        DeliveredQuality.Add((arrivalUs, vmaf));
        if (_windowStartUs < 0)
        {
            _windowStartUs = arrivalUs;
            _windowFirst = frame;
        }
        _window.Add(vmaf);
        if (arrivalUs - _windowStartUs >= 100_000)
        {
            Engine.OnQuality(new QualitySample
            {
                TimestampNs = arrivalUs * 1000, FirstFrameId = _windowFirst, LastFrameId = frame, Vmaf = _window.Average(),
                Ssim = double.NaN, FramesMeasured = _window.Count,
            });
            _window.Clear();
            _windowStartUs = -1;
        }
    }

    public void Dispose() => Engine.Dispose();
}

/// <summary>What turns an engine decision into encoded bytes in a simulation.</summary>
internal interface ISimEncoder
{
    int Encode(AqsDecision decision, ReadOnlySpan<byte> luma);
}

/// <summary>
/// An encoder model: frames come out at the set bitrate over the frame rate, ±15 % (seeded), keyframes three times
/// that, as x264 with a short VBV does on steady content. Fast enough for minutes of simulated link.
/// </summary>
internal sealed class ModelEncoder(int seed = 3) : ISimEncoder
{
    private readonly Random _random = new(seed);

    public int Encode(AqsDecision decision, ReadOnlySpan<byte> luma)
    {
        var mean = decision.BitrateBps / 8.0 / decision.Rung.Fps;
        var factor = decision.ForceKeyframe ? 3.0 : 1 + 0.15 * (_random.NextDouble() * 2 - 1);
        return Math.Max(100, (int)(mean * factor));
    }
}
