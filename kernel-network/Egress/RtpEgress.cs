using System.Net;
using System.Net.Sockets;
using Aqs.Kernel.Network.Egress.Rtcp;
using Aqs.Kernel.Network.Emulation;
using Aqs.Kernel.Network.Estimation;
using Aqs.Kernel.Network.Transport;
using Aqs.Shared.Cli;
using Aqs.Shared.Media;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Network.Egress;

/// <summary>
/// RTP to a standard receiver: libavformat's payloader (<see cref="RtpPacketizer"/>) makes the packets, our own
/// sockets send RTP to HOST:PORT and RTCP sender reports to HOST:PORT+1 from a socket that also takes the receiver's
/// reports (ffmpeg/ffplay send them to the source of our reports with <c>-sdp_flags rtcp_to_source</c>; any receiver
/// that reports to the port above our RTP socket's reaches it too). The reports become <see cref="RtcpFeedback"/>: loss,
/// jitter, RTT and a loss-based bound for the engine. The SDP is written when the first keyframe sets the codec and
/// rewritten if the codec changes. Optionally through the impairment emulator (<c>net=</c>), as our own transport is.
/// </summary>
public sealed class RtpEgress : EgressWorker
{
    private readonly Socket _rtp;
    private readonly Socket _rtcp;
    private readonly IPEndPoint _rtpDestination;
    private readonly IPEndPoint _rtcpDestination;
    private readonly Thread _reports;
    private readonly NetworkEmulator? _emulator;
    private readonly DelayLine? _delayLine;
    private readonly AckedBitrateEstimator _sendRate = new(1_000_000);
    private readonly object _rateLock = new();
    private readonly List<RtcpReportBlock> _blocks = [];
    private readonly Action<string> _log;
    private RtpPacketizer? _packetizer;
    private string? _sdpWritten;
    private string? _sdpPath;
    private volatile bool _closing;

    public RtpEgress(EgressTarget target, Action<string> log) : base(target, log)
    {
        _log = log;
        var address = PeerAddress.Parse($"{target.Host}:{target.Port}").Address;
        _rtpDestination = new IPEndPoint(address, target.Port);
        _rtcpDestination = new IPEndPoint(address, target.Port + 1);
        var any = address.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        (_rtp, _rtcp) = BindPair(address.AddressFamily, any);
        _rtcp.ReceiveTimeout = 200;
        if (target.Impairment is { } spec)
        {
            _emulator = NetworkEmulator.FromSpec(spec, Directory.GetCurrentDirectory());
            _delayLine = new DelayLine(_rtp, _rtpDestination.Serialize());
        }
        _reports = new Thread(ReadReports) { IsBackground = true, Name = "aqs-egress-rtcp" };
        _reports.Start();
    }

    public RtcpFeedback Feedback { get; } = new();
    public long ReportsMalformed => Volatile.Read(ref _reportsMalformed);
    public long PacketsSent => Volatile.Read(ref _packetsSent);
    public long PacketsDroppedByEmulator { get; private set; }
    /// <summary>Where the SDP was written (full path), once the first keyframe set the codec.</summary>
    public string? SdpPath => _sdpPath;
    public int RtcpPort => ((IPEndPoint)_rtcp.LocalEndPoint!).Port;

    private long _reportsMalformed;
    private long _packetsSent;

    /// <summary>
    /// RTP on some port and RTCP on the one above it (RFC 3550 §11), where such a pair is free: a receiver that has
    /// not heard our RTCP yet sends its reports to the port above the one our RTP comes from.
    /// </summary>
    private static (Socket Rtp, Socket Rtcp) BindPair(AddressFamily family, IPAddress any)
    {
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var rtp = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
            rtp.Bind(new IPEndPoint(any, 0));
            var port = ((IPEndPoint)rtp.LocalEndPoint!).Port;
            var rtcp = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                rtcp.Bind(new IPEndPoint(any, port + 1));
                return (rtp, rtcp);
            }
            catch (SocketException)
            {
                rtcp.Dispose();
                rtp.Dispose();
            }
        }
        var lone = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        lone.Bind(new IPEndPoint(any, 0));
        var other = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        other.Bind(new IPEndPoint(any, 0));
        return (lone, other);
    }

    protected override void Connect(in EgressFrame first)
    {
        _packetizer = RtpPacketizer.Open(Target.Url, first.Codec, first.Width, first.Height, Target.PacketSize, OnPacket);
        var sdp = _packetizer.Sdp;
        if (Target.SdpPath is { } path && sdp != _sdpWritten)
        {
            try
            {
                File.WriteAllText(path, sdp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UserFacingException($"cannot write the SDP file '{path}': {e.Message}");
            }
            _sdpWritten = sdp;
            _sdpPath = Path.GetFullPath(path);
            _log($"egress {Target.Name}: SDP in {Path.GetFullPath(path)} (ffplay -protocol_whitelist file,udp,rtp -sdp_flags rtcp_to_source {path})");
        }
    }

    protected override void Send(in EgressFrame frame) => _packetizer!.Write(frame.Data, frame.PtsNs, frame.DurationNs, frame.Keyframe);

    protected override void Disconnect()
    {
        var packetizer = _packetizer;
        _packetizer = null;
        packetizer?.Dispose();
    }

    /// <summary>Every packet the payloader makes: RTCP to PORT+1 (noting each sender report's time), RTP to PORT.</summary>
    private void OnPacket(ReadOnlySpan<byte> packet)
    {
        var now = MonotonicClock.NowNs;
        if (RtcpPacket.IsRtcp(packet))
        {
            if (RtcpPacket.SenderReportNtpMiddle(packet) is { } ntp)
            {
                Feedback.OnSenderReportSent(ntp, now);
            }
            _rtcp.SendTo(packet, SocketFlags.None, _rtcpDestination);
            return;
        }
        lock (_rateLock)
        {
            _sendRate.OnAcked(now / 1000, packet.Length + 28);
        }
        Interlocked.Increment(ref _packetsSent);
        if (_emulator is null)
        {
            _rtp.SendTo(packet, SocketFlags.None, _rtpDestination);
            return;
        }
        var verdict = _emulator.Submit(now / 1000, packet.Length + 28);
        if (verdict.Delivered)
        {
            _delayLine!.Enqueue(packet, verdict.DeliveryTimeUs);
        }
        else
        {
            PacketsDroppedByEmulator++;
        }
    }

    private double SendRateBps
    {
        get
        {
            lock (_rateLock)
            {
                return _sendRate.BitsPerSecond ?? 0;
            }
        }
    }

    private void ReadReports()
    {
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(_rtcp.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_closing)
        {
            int length;
            try
            {
                length = _rtcp.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.ConnectionReset)
            {
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            _blocks.Clear();
            if (!RtcpPacket.TryReadReportBlocks(buffer.AsSpan(0, length), _blocks))
            {
                Interlocked.Increment(ref _reportsMalformed);
            }
            var ssrc = _packetizer?.Ssrc;
            foreach (var block in _blocks)
            {
                if (ssrc is { } ours && block.SourceSsrc == ours)
                {
                    Feedback.OnReport(block, SendRateBps, MonotonicClock.NowNs);
                }
            }
        }
    }

    protected override void DisposeResources()
    {
        _closing = true;
        _delayLine?.Drain(TimeSpan.FromMilliseconds(500));
        _delayLine?.Dispose();
        _reports.Join(TimeSpan.FromSeconds(1));
        _rtp.Dispose();
        _rtcp.Dispose();
    }
}
