using Aqs.Shared.Media;

namespace Aqs.Kernel.Network.Egress;

/// <summary>
/// MPEG-TS onto a libavformat protocol (srt://, rist://, udp://). An SRT listener's connect waits for its caller
/// (frames meanwhile are dropped and counted); a caller whose listener refuses it says why in one line and tries
/// again every second. A receiver that goes away loses the connection; the next keyframe opens a new one.
/// </summary>
public sealed class StreamEgress : EgressWorker
{
    private LiveStreamWriter? _writer;

    public StreamEgress(EgressTarget target, Action<string> log) : base(target, log)
    {
    }

    protected override void Connect(in EgressFrame first)
    {
        Interrupt.Arm(Timeout.InfiniteTimeSpan);
        _writer = LiveStreamWriter.Open(Target.Url, "mpegts", first.Codec, first.Width, first.Height, Interrupt);
    }

    protected override void Send(in EgressFrame frame)
    {
        // A receiver that stops reading must not hold this thread for ever: a write gets 2 s.
        Interrupt.Arm(TimeSpan.FromSeconds(2));
        _writer!.Write(frame.Data, frame.PtsNs, frame.DurationNs, frame.Keyframe);
    }

    protected override void Disconnect()
    {
        var writer = _writer;
        _writer = null;
        Interrupt.Arm(TimeSpan.FromSeconds(1));
        writer?.Dispose();
    }
}
