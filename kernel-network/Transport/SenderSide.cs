using System.Net;
using System.Net.Sockets;
using Aqs.Kernel.Network.Emulation;
using Aqs.Kernel.Network.Estimation;
using Aqs.Kernel.Network.Fec;
using Aqs.Kernel.Network.Feedback;
using Aqs.Kernel.Network.Wire;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Network.Transport;

/// <summary>
/// Kernel A's send side: cuts each encoded frame into FEC-protected datagrams, seals them, passes
/// them through the impairment emulator when one is configured, and sends them over UDP. A thread
/// of its own takes the receiver's feedback and keyframe requests and drives the bandwidth estimate
/// and the parity choice, and resends the datagrams the receiver NACKs while their frame can still make its
/// deadline. Each frame's datagrams are paced (<see cref="FramePacer"/>), not sent as one burst.
/// Threads: <see cref="SendFrame"/> from one thread; resends come from the feedback thread; the two share the
/// sealer, history and socket under a send lock held per datagram.
/// </summary>
public sealed class SenderSide : IDisposable
{
    private const int UdpIpOverhead = 28;
    private readonly Socket _socket;
    private readonly SocketAddress _peer;
    private readonly DatagramSealer _sealer;
    private readonly DatagramPool _pool = new(8192);
    private readonly FramePacketizer _packetizer;
    private readonly PacketRef[] _refs = new PacketRef[8192];
    private readonly byte[] _sealed = new byte[WireFormat.MaxDatagram];
    private readonly SentPacketRing _history;
    private readonly FramePacer _pacer;
    private readonly byte[] _padding = new byte[WireFormat.HeaderLength + WireFormat.MaxPayload];
    private PacingSchedule _schedule;
    private readonly SenderOptions _options;
    private readonly object _sendLock = new();
    private readonly byte[] _feedbackBuffer = new byte[WireFormat.MaxDatagram];
    private readonly FeedbackReport _report = new();
    private readonly AdaptiveParity _parity;
    private readonly NetworkEmulator? _emulator;
    private readonly DelayLine? _delayLine;
    private readonly GccBandwidthEstimator _bwe;
    private readonly object _bweLock = new();
    private readonly Thread _feedbackThread;
    // The same windowed byte count as the acked rate, over what leaves this side.
    private readonly AckedBitrateEstimator _sendRate = new(500_000);
    private volatile bool _stopping;
    private int _keyframeRequested;
    // The emulated path runs on stream time: its trace starts with the first datagram, whatever the clock says.
    private long _emulatorOriginUs = long.MinValue;
    private double _parityRatio;

    public SenderSide(byte[] key, uint sessionId, bool encrypt, IPEndPoint peer, IErasureCoder coder, AdaptiveParity parity, NetworkEmulator? emulator,
        SenderOptions? options = null)
    {
        _options = options ?? new SenderOptions();
        _bwe = new GccBandwidthEstimator(_options.Bwe);
        _history = new SentPacketRing(_options.RetransmitHistory);
        _pacer = new FramePacer(_options.PacingFactor, _options.PacingSpread, _options.FrameIntervalUs);
        _socket = new Socket(peer.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(IPAddress.IsLoopback(peer.Address) ? peer.Address : IPAddress.Any, 0));
        _socket.SendBufferSize = 4 << 20;
        _peer = peer.Serialize();
        _sealer = new DatagramSealer(key, sessionId, EndpointRole.Sender, encrypt);
        _packetizer = new FramePacketizer(coder, _pool);
        _parity = parity;
        _emulator = emulator;
        _delayLine = emulator is null ? null : new DelayLine(_socket, _peer);
        _feedbackThread = new Thread(ReceiveFeedback) { IsBackground = true, Name = "aqs-net-feedback" };
        _feedbackThread.Start();
    }

    public long FramesSent { get; private set; }
    public long FramesRefused { get; private set; }
    public long PacketsSent { get; private set; }
    public long ParityPacketsSent { get; private set; }
    public long BytesSent { get; private set; }
    public long PacketsDroppedByEmulator { get; private set; }
    public long FeedbackReports { get; private set; }

    /// <summary>Probe clusters whose feedback gave a capacity measurement.</summary>
    public long ProbeResults
    {
        get
        {
            lock (_bweLock)
            {
                return _bwe.ProbeResults;
            }
        }
    }

    /// <summary>Bandwidth probe clusters sent, and the padding datagrams that made them up.</summary>
    public long ProbeClustersSent { get; private set; }
    public long PaddingPacketsSent { get; private set; }

    /// <summary>Datagrams sent again after a NACK (each with a new transport sequence).</summary>
    public long Retransmissions { get; private set; }

    /// <summary>NACKs not served: the datagram was parity, too old for the history, or its frame past the deadline.</summary>
    public long NacksDeclined { get; private set; }

    /// <summary>The pacer's current frame interval estimate.</summary>
    public long FrameIntervalUs => _pacer.FrameIntervalUs;
    public long FeedbackDropped => _sealer.Drops.Total;

    /// <summary>Everything the encoder's engine needs to know of the link now, read together.</summary>
    public LinkSnapshot Snapshot()
    {
        var nowUs = MonotonicClock.NowNs / 1000;
        double capacity = double.NaN;
        if (_emulator?.Trace is { } trace && _emulatorOriginUs != long.MinValue)
        {
            var streamMs = (nowUs - _emulatorOriginUs) / 1000;
            capacity = streamMs >= 1000 ? trace.CapacityBitsPerSecond(streamMs - 1000, streamMs) : double.NaN;
        }
        lock (_bweLock)
        {
            return LinkSnapshot.Of(_bwe, _sendRate.BitsPerSecond ?? 0, capacity, _parityRatio);
        }
    }

    /// <summary>The latest bandwidth estimate and link state, read together.</summary>
    public (double EstimateBps, FecPolicy.LinkState Link, double? AckedBps) Estimate
    {
        get
        {
            lock (_bweLock)
            {
                return (_bwe.EstimateBps, _bwe.LinkState, _bwe.AckedBps);
            }
        }
    }

    /// <summary>True once after the receiver asked for a keyframe.</summary>
    public bool TakeKeyframeRequest() => Interlocked.Exchange(ref _keyframeRequested, 0) != 0;

    /// <summary>
    /// Sends one encoded frame, paced over up to <see cref="SenderOptions.PacingSpread"/> of the frame interval
    /// (returns when its last datagram has left); false when it cannot be cut into datagrams (empty or too large).
    /// <paramref name="descriptor"/> travels in front of the frame's bytes (its rung and times).
    /// </summary>
    public bool SendFrame(ReadOnlySpan<byte> frame, uint frameId, byte streamId, bool keyframe, in FrameDescriptor descriptor = default)
    {
        Span<byte> prefix = stackalloc byte[FrameDescriptor.Length];
        descriptor.Write(prefix);
        if (!_packetizer.TryPacketize(prefix, frame, frameId, streamId, keyframe, _parity, _refs, out var count))
        {
            FramesRefused++;
            return false;
        }
        var parity = 0;
        for (var i = 0; i < count; i++)
        {
            parity += (PacketKind)_pool.Datagram(_refs[i])[WireFormat.KindOffset] == PacketKind.Parity ? 1 : 0;
        }
        // Parity per media packet over the last dozen frames or so: what FEC costs the encoder now.
        _parityRatio += 0.1 * ((double)parity / Math.Max(1, count - parity) - _parityRatio);
        var startUs = MonotonicClock.NowNs / 1000;
        _pacer.OnFrame(startUs);
        var durationUs = 0L;
        long bytes = 0;
        for (var i = 0; i < count; i++)
        {
            bytes += _refs[i].Length + WireFormat.TagLength + UdpIpOverhead;
        }
        if (_options.Pacing && count > 1)
        {
            durationUs = _pacer.DurationUs(bytes, Estimate.EstimateBps);
        }
        // Slots count from the first datagram's departure, not from before it (sealing it may have waited).
        _schedule.Start(startUs, durationUs, bytes);
        for (var i = 0; i < count; i++)
        {
            if (durationUs > 0 && i > 0)
            {
                PreciseWait.Until(_schedule.NextDueUs);
            }
            var packet = _refs[i];
            lock (_sendLock)
            {
                SendPlain(_pool.Datagram(packet), startUs, -1);
            }
            _schedule.Sent(packet.Length + WireFormat.TagLength + UdpIpOverhead);
            _pool.Return(packet.Buffer);
            if (i == 0)
            {
                _schedule.Reanchor(MonotonicClock.NowNs / 1000);
            }
        }
        FramesSent++;
        if (_options.Probing)
        {
            SendProbeIfDue();
        }
        return true;
    }

    /// <summary>
    /// Sends a probe cluster when the estimator wants one: padding datagrams at the cluster's rate, after the frame
    /// (so they measure the link, not the frame's queue), recorded with the cluster id for the probe estimate.
    /// </summary>
    private void SendProbeIfDue()
    {
        ProbeCluster cluster;
        lock (_bweLock)
        {
            if (!_bwe.TryStartProbe(MonotonicClock.NowNs / 1000, out cluster))
            {
                return;
            }
        }
        var payload = Math.Clamp(cluster.PacketBytes - WireFormat.HeaderLength - WireFormat.TagLength - UdpIpOverhead, 0, WireFormat.MaxPayload);
        var size = WireFormat.HeaderLength + payload + WireFormat.TagLength + UdpIpOverhead;
        var plain = _padding.AsSpan(0, WireFormat.HeaderLength + payload);
        plain.Clear();
        PacketHeaderCodec.Write(new PacketHeader { Kind = PacketKind.Padding, PayloadLength = payload }, plain);
        _schedule.Start(MonotonicClock.NowNs / 1000, (long)(cluster.Packets * size * 8e6 / cluster.TargetBps), (long)cluster.Packets * size);
        for (var i = 0; i < cluster.Packets; i++)
        {
            if (i > 0)
            {
                PreciseWait.Until(_schedule.NextDueUs);
            }
            lock (_sendLock)
            {
                SendPlain(plain, 0, cluster.Id);
            }
            _schedule.Sent(size);
        }
        ProbeClustersSent++;
    }

    /// <summary>Seals, keeps for retransmission, records for the estimator, counts and sends. Under the send lock.</summary>
    private void SendPlain(Span<byte> plain, long frameStartUs, int probeCluster)
    {
        var nowUs = MonotonicClock.NowNs / 1000;
        var kind = (PacketKind)plain[WireFormat.KindOffset];
        var length = _sealer.Seal(plain, _sealed, (ulong)nowUs, out var sequence);
        if (_options.Retransmit && kind != PacketKind.Padding)
        {
            _history.Store(sequence, plain, frameStartUs);
        }
        lock (_bweLock)
        {
            _bwe.OnPacketSent(sequence, nowUs, length + UdpIpOverhead, probeCluster);
            _sendRate.OnAcked(nowUs, length + UdpIpOverhead);
        }
        PacketsSent++;
        BytesSent += length;
        if (kind == PacketKind.Parity)
        {
            ParityPacketsSent++;
        }
        else if (kind == PacketKind.Padding)
        {
            PaddingPacketsSent++;
        }
        Transmit(_sealed.AsSpan(0, length), nowUs);
    }

    /// <summary>
    /// Resends the NACKed media datagrams that can still help: a resend reaches the receiver about RTT/2 from
    /// now, the frame's first datagram reached it about RTT/2 after it left, and the receiver gives a frame
    /// <see cref="SenderOptions.FrameDeadlineUs"/> from that first arrival; half an RTT is kept as margin.
    /// Parity is not resent (a data shard repairs the same loss and is never wasted).
    /// </summary>
    private void Resend(ReadOnlySpan<long> nacks, double rttUs)
    {
        lock (_sendLock)
        {
            var nowUs = MonotonicClock.NowNs / 1000;
            foreach (var sequence in nacks)
            {
                if (!_history.TryGet(sequence, out var plain, out var frameStartUs) ||
                    (PacketKind)plain[WireFormat.KindOffset] != PacketKind.Media ||
                    nowUs - frameStartUs + rttUs / 2 > _options.FrameDeadlineUs)
                {
                    NacksDeclined++;
                    continue;
                }
                plain[WireFormat.FlagsOffset] |= (byte)PacketFlags.Retransmission;
                SendPlain(plain, frameStartUs, -1);
                Retransmissions++;
            }
        }
    }

    private void Transmit(ReadOnlySpan<byte> datagram, long nowUs)
    {
        if (_emulator is null)
        {
            try
            {
                _socket.SendTo(datagram, SocketFlags.None, _peer);
            }
            catch (SocketException)
            {
                // No receiver (yet, or any more): the datagram is lost, as it would be on a network.
            }
            return;
        }
        if (_emulatorOriginUs == long.MinValue)
        {
            _emulatorOriginUs = nowUs;
        }
        var verdict = _emulator.Submit(nowUs - _emulatorOriginUs, datagram.Length + UdpIpOverhead);
        if (verdict.Delivered)
        {
            _delayLine!.Enqueue(datagram, verdict.DeliveryTimeUs + _emulatorOriginUs);
        }
        else
        {
            PacketsDroppedByEmulator++;
        }
    }

    /// <summary>Waits for datagrams still held by the emulated path to leave.</summary>
    public void Drain(TimeSpan timeout) => _delayLine?.Drain(timeout);

    private void ReceiveFeedback()
    {
        var from = new SocketAddress(_socket.AddressFamily);
        while (!_stopping)
        {
            try
            {
                if (!_socket.Poll(TimeSpan.FromMilliseconds(50), SelectMode.SelectRead))
                {
                    continue;
                }
                var length = _socket.ReceiveFrom(_feedbackBuffer, SocketFlags.None, from);
                OnDatagram(_feedbackBuffer.AsSpan(0, length));
            }
            catch (SocketException)
            {
                // ICMP port unreachable from an earlier send surfaces here on Linux; nothing to do.
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    private void OnDatagram(Span<byte> datagram)
    {
        if (_sealer.Open(datagram, out var header) != OpenResult.Accepted)
        {
            return; // counted by the sealer
        }
        var payload = datagram.Slice(WireFormat.HeaderLength, header.PayloadLength);
        switch (header.Kind)
        {
            case PacketKind.Feedback:
                if (FeedbackCodec.TryParse(payload, _report))
                {
                    FeedbackReports++;
                    double rttUs;
                    lock (_bweLock)
                    {
                        _bwe.OnFeedback(_report, MonotonicClock.NowNs / 1000);
                        _parity.State = _bwe.LinkState;
                        rttUs = _bwe.Rtt.HasSample ? _bwe.Rtt.SmoothedUs : 0;
                    }
                    if (_options.Retransmit && _report.NackCount > 0)
                    {
                        Resend(_report.NackList, rttUs);
                    }
                }
                break;
            case PacketKind.KeyframeRequest:
                Interlocked.Exchange(ref _keyframeRequested, 1);
                break;
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _feedbackThread.Join(TimeSpan.FromSeconds(2));
        _delayLine?.Dispose();
        _socket.Dispose();
        _packetizer.Dispose();
        _pool.Dispose();
        _sealer.Dispose();
    }
}
