using System.Net;
using System.Net.Sockets;
using Aqs.Kernel.Network.Fec;
using Aqs.Kernel.Network.Feedback;
using Aqs.Kernel.Network.Wire;
using Aqs.Shared.Frames;
using Aqs.Shared.Rings;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Network.Transport;

/// <summary>
/// Kernel A's receive side, on a thread of its own: opens each datagram (strangers' and damaged ones
/// are dropped and counted), reassembles frames with FEC recovery, publishes complete frames to the
/// rx ring in the order they were sent, and sends feedback (arrivals, loss, jitter) and keyframe requests back to
/// the sender. A frame completed while an older one is still being assembled (its repair or retransmission is on
/// the way) waits for it, or for its deadline: a decoder given a frame before its reference sees a gap, skips to the
/// next keyframe and freezes the picture until then, while the older frame was only late.
/// </summary>
public sealed class ReceiverSide : IDisposable
{
    private static readonly TimeSpan RxClaimTimeout = TimeSpan.FromMilliseconds(50);
    private const long KeyframeRequestIntervalUs = 100_000;
    private readonly Socket _socket;
    private readonly DatagramSealer _sealer;
    private readonly IErasureCoder _coder;
    private readonly FrameWriter _rx;
    private readonly ReassemblerOptions _options;
    private readonly BlockNackPlanner _nacks = new();
    private readonly ReceiverStatistics _statistics;
    private readonly FeedbackReport _report = new();
    private readonly byte[] _buffer = new byte[WireFormat.MaxDatagram + 64];
    private readonly byte[] _plain = new byte[WireFormat.HeaderLength + WireFormat.MaxPayload];
    private readonly byte[] _sealed = new byte[WireFormat.MaxDatagram];
    private readonly SocketAddress _from;
    private SocketAddress? _replyTo;
    private FrameReassembler? _reassembler;
    private readonly List<ReassembledFrame> _held = [];
    private Thread? _thread;
    private volatile bool _stopping;
    // Far enough in the past for the first request to go out, near enough that "now - it" cannot overflow.
    private long _lastKeyframeRequestUs = long.MinValue / 2;
    private long _lastArrivalNs;
    // On another host than the sender only: maps capture times onto this host's clock (rx header User3).
    private readonly ClockOffsetEstimator? _clock;

    /// <param name="estimateClockOffset">True when the sender is on another host (its clock is not ours).</param>
    public ReceiverSide(byte[] key, uint sessionId, bool requireEncryption, IPEndPoint listen, IErasureCoder coder, FrameWriter rx, ReassemblerOptions options,
        bool estimateClockOffset = false)
    {
        _clock = estimateClockOffset ? new ClockOffsetEstimator() : null;
        _socket = new Socket(listen.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.ReceiveBufferSize = 8 << 20;
        _socket.Bind(listen);
        _from = new SocketAddress(listen.AddressFamily);
        _sealer = new DatagramSealer(key, sessionId, EndpointRole.Receiver, encrypt: requireEncryption, requireEncryption);
        _coder = coder;
        _rx = rx;
        _options = options;
        _statistics = new ReceiverStatistics { NackPlanner = _nacks };
    }

    public IPEndPoint LocalEndpoint => (IPEndPoint)_socket.LocalEndPoint!;

    public long FramesReceived { get; private set; }
    public long FramesDroppedRxFull { get; private set; }

    /// <summary>Frames completed before an older one and held until it completed or expired.</summary>
    public long FramesHeldForOrder { get; private set; }

    /// <summary>Reassembled frames without a readable <see cref="FrameDescriptor"/>: dropped and counted.</summary>
    public long FramesMalformed { get; private set; }
    public long KeyframeRequests { get; private set; }

    /// <summary>Probe padding datagrams received (authenticated, counted in feedback, then dropped).</summary>
    public long PaddingReceived { get; private set; }
    public long DatagramsAccepted => _sealer.Accepted;
    public DropCounters DatagramDrops => _sealer.Drops;
    public ReassemblyCounters Reassembly => _reassembler?.Counters ?? default;
    public double JitterMs => _statistics.JitterUs / 1000.0;
    public double LossRate => _statistics.LossRate;
    public long PacketsLost => _statistics.CumulativeLost;

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "aqs-net-receive" };
        _thread.Start();
    }

    /// <summary>Waits until no datagram has arrived for <paramref name="quiet"/>, or <paramref name="timeout"/>.</summary>
    public void WaitQuiet(TimeSpan quiet, TimeSpan timeout)
    {
        var deadline = MonotonicClock.NowNs + (long)timeout.TotalNanoseconds;
        while (MonotonicClock.NowNs < deadline && MonotonicClock.NowNs - Volatile.Read(ref _lastArrivalNs) < (long)quiet.TotalNanoseconds)
        {
            Thread.Sleep(5);
        }
    }

    private void Run()
    {
        while (!_stopping)
        {
            try
            {
                if (_socket.Poll(TimeSpan.FromMilliseconds(10), SelectMode.SelectRead))
                {
                    // Take everything queued before judging deadlines: after this thread was kept off
                    // the CPU, the rest of a frame may be waiting in the socket, not lost.
                    do
                    {
                        var length = _socket.ReceiveFrom(_buffer, SocketFlags.None, _from);
                        OnDatagram(_buffer.AsSpan(0, length));
                    }
                    while (_socket.Available > 0 && !_stopping);
                }
            }
            catch (SocketException)
            {
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            var nowUs = MonotonicClock.NowNs / 1000;
            Housekeeping(nowUs);
        }
    }

    private void OnDatagram(Span<byte> datagram)
    {
        var arrivalNs = MonotonicClock.NowNs;
        Volatile.Write(ref _lastArrivalNs, arrivalNs);
        if (_sealer.Open(datagram, out var header) != OpenResult.Accepted)
        {
            return; // counted by the sealer, never looked at further
        }
        var arrivalUs = arrivalNs / 1000;
        if (_replyTo is null || !_replyTo.Equals(_from))
        {
            _replyTo = new SocketAddress(_from.Family, _from.Size);
            _from.Buffer.Span.CopyTo(_replyTo.Buffer.Span);
        }
        _statistics.OnPacket(header.Sequence, (long)header.SendTimeUs, arrivalUs);
        _clock?.OnPacket((long)header.SendTimeUs, arrivalUs);
        if (!header.IsShard)
        {
            // Probe padding has done its job once its arrival is recorded for feedback.
            PaddingReceived += header.Kind == PacketKind.Padding ? 1 : 0;
            return;
        }
        _nacks.OnShard(header);
        _reassembler ??= new FrameReassembler(_coder, _options with { StreamId = header.StreamId });
        var payload = datagram.Slice(WireFormat.HeaderLength, header.PayloadLength);
        if (_reassembler.Accept(header, payload, arrivalUs) == ReassemblyResult.Completed)
        {
            TakeCompleted();
        }
        if (_held.Count > 0)
        {
            // The frame held back for may have completed, or lost its slot to a newer one.
            PublishInOrder();
        }
    }

    private void TakeCompleted()
    {
        var reassembler = _reassembler!;
        while (reassembler.TryTakeFrame(out var frame))
        {
            var at = _held.Count;
            while (at > 0 && FrameReassembler.IsBefore(frame.FrameId, _held[at - 1].FrameId))
            {
                at--;
            }
            _held.Insert(at, frame);
            if (reassembler.TryOldestAssembling(out var older) && FrameReassembler.IsBefore(older, frame.FrameId))
            {
                FramesHeldForOrder++;
            }
        }
    }

    /// <summary>Publishes held frames from the oldest while no older frame is still being assembled.</summary>
    private void PublishInOrder()
    {
        var reassembler = _reassembler!;
        while (_held.Count > 0)
        {
            var frame = _held[0];
            if (reassembler.TryOldestAssembling(out var older) && FrameReassembler.IsBefore(older, frame.FrameId))
            {
                return;
            }
            _held.RemoveAt(0);
            Publish(reassembler, frame);
        }
    }

    private void Publish(FrameReassembler reassembler, in ReassembledFrame frame)
    {
        var data = reassembler.Data(frame);
        if (!FrameDescriptor.TryRead(data, out var descriptor) || data.Length == FrameDescriptor.Length)
        {
            // Authenticated yet not a frame we can describe (a sender of another version): drop and count it.
            FramesMalformed++;
            RequestKeyframe(MonotonicClock.NowNs / 1000);
        }
        else if (_rx.TryClaim(data.Length - FrameDescriptor.Length, RxClaimTimeout, out var slot))
        {
            var encoded = data[FrameDescriptor.Length..];
            encoded.CopyTo(slot.Payload);
            ref var h = ref slot.Header;
            h.FrameId = frame.FrameId;
            h.Codec = (VideoCodec)frame.StreamId;
            h.PayloadLength = encoded.Length;
            h.Flags = (frame.IsKeyframe ? SlotFlags.Keyframe : SlotFlags.None)
                | ((descriptor.Flags & FrameDescriptorFlags.SceneCut) != 0 ? SlotFlags.SceneCut : SlotFlags.None)
                | ((descriptor.Flags & FrameDescriptorFlags.RungSwitch) != 0 ? SlotFlags.RungSwitch : SlotFlags.None);
            if (descriptor.Format != PixelFormat.None && descriptor.Width > 0 && descriptor.Height > 0)
            {
                h.SetLayout(new FrameLayout(descriptor.Width, descriptor.Height, descriptor.Format));
            }
            h.DurationNs = descriptor.DurationUs * 1000;
            // On the sender's clock: the same clock in loopback mode; a receiver on another host must map it.
            h.CaptureTimeNs = descriptor.CaptureTimeNs;
            h.PtsNs = descriptor.PtsNs;
            h.User0 = frame.FirstArrivalUs;
            h.User1 = frame.CompletedUs;
            h.User2 = frame.RecoveredShards;
            // Sender clock -> this host's clock, in ns (0 when both sides share one clock): the display adds it.
            h.User3 = (_clock?.OffsetUs ?? 0) * 1000;
            _rx.Publish(ref slot);
            FramesReceived++;
        }
        else
        {
            // The display is stuck: drop the frame, the decoder will need a keyframe.
            FramesDroppedRxFull++;
            RequestKeyframe(MonotonicClock.NowNs / 1000);
        }
        reassembler.Release(frame);
    }

    private void Housekeeping(long nowUs)
    {
        if (_reassembler is { } reassembler && reassembler.Expire(nowUs) > 0)
        {
            while (reassembler.TryTakeLostFrame(out _))
            {
            }
            RequestKeyframe(nowUs);
            PublishInOrder();
        }
        if (_replyTo is not null && _statistics.ReportDue(nowUs))
        {
            _statistics.BuildReport(nowUs, _report);
            SendControl(PacketKind.Feedback, nowUs, writeFeedback: true);
        }
    }

    private void RequestKeyframe(long nowUs)
    {
        if (_replyTo is null || nowUs - _lastKeyframeRequestUs < KeyframeRequestIntervalUs)
        {
            return;
        }
        _lastKeyframeRequestUs = nowUs;
        KeyframeRequests++;
        SendControl(PacketKind.KeyframeRequest, nowUs, writeFeedback: false);
    }

    private void SendControl(PacketKind kind, long nowUs, bool writeFeedback)
    {
        var payloadLength = 0;
        if (writeFeedback && !FeedbackCodec.TryWrite(_report, _plain.AsSpan(WireFormat.HeaderLength, WireFormat.MaxPayload), out payloadLength))
        {
            return;
        }
        PacketHeaderCodec.Write(new PacketHeader { Kind = kind, PayloadLength = payloadLength }, _plain);
        var length = _sealer.Seal(_plain.AsSpan(0, WireFormat.HeaderLength + payloadLength), _sealed, (ulong)nowUs, out _);
        try
        {
            _socket.SendTo(_sealed.AsSpan(0, length), SocketFlags.None, _replyTo!);
        }
        catch (SocketException)
        {
            // The sender is gone; feedback resumes when it is back.
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread?.Join(TimeSpan.FromSeconds(2));
        _socket.Dispose();
        _reassembler?.Dispose();
        _sealer.Dispose();
    }
}
