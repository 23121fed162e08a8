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
/// and the parity choice.
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
    private readonly byte[] _feedbackBuffer = new byte[WireFormat.MaxDatagram];
    private readonly FeedbackReport _report = new();
    private readonly AdaptiveParity _parity;
    private readonly NetworkEmulator? _emulator;
    private readonly DelayLine? _delayLine;
    private readonly GccBandwidthEstimator _bwe = new();
    private readonly object _bweLock = new();
    private readonly Thread _feedbackThread;
    private volatile bool _stopping;
    private int _keyframeRequested;

    public SenderSide(byte[] key, uint sessionId, bool encrypt, IPEndPoint peer, IErasureCoder coder, AdaptiveParity parity, NetworkEmulator? emulator)
    {
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
    public long FeedbackDropped => _sealer.Drops.Total;

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

    /// <summary>Sends one encoded frame; false when it cannot be cut into datagrams (empty or too large).</summary>
    public bool SendFrame(ReadOnlySpan<byte> frame, uint frameId, byte streamId, bool keyframe)
    {
        if (!_packetizer.TryPacketize(frame, frameId, streamId, keyframe, _parity, _refs, out var count))
        {
            FramesRefused++;
            return false;
        }
        for (var i = 0; i < count; i++)
        {
            var packet = _refs[i];
            var datagram = _pool.Datagram(packet);
            var isParity = (PacketKind)datagram[WireFormat.KindOffset] == PacketKind.Parity;
            var nowUs = MonotonicClock.NowNs / 1000;
            var length = _sealer.Seal(datagram, _sealed, (ulong)nowUs, out var sequence);
            _pool.Return(packet.Buffer);
            lock (_bweLock)
            {
                _bwe.OnPacketSent(sequence, nowUs, length + UdpIpOverhead);
            }
            PacketsSent++;
            BytesSent += length;
            if (isParity)
            {
                ParityPacketsSent++;
            }
            Transmit(_sealed.AsSpan(0, length), nowUs);
        }
        FramesSent++;
        return true;
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
        var verdict = _emulator.Submit(nowUs, datagram.Length + UdpIpOverhead);
        if (verdict.Delivered)
        {
            _delayLine!.Enqueue(datagram, verdict.DeliveryTimeUs);
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
                    lock (_bweLock)
                    {
                        _bwe.OnFeedback(_report, MonotonicClock.NowNs / 1000);
                        _parity.State = _bwe.LinkState;
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
