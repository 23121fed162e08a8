using System.Net;
using System.Net.Sockets;
using Aqs.Kernel.Network.Egress.Rtcp;
using Aqs.Kernel.Network.Egress.Rtsp;
using Aqs.Kernel.Network.Emulation;
using Aqs.Kernel.Network.Estimation;
using Aqs.Kernel.Network.Transport;
using Aqs.Shared.Cli;
using Aqs.Shared.Frames;
using Aqs.Shared.Media;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Network.Egress;

/// <summary>
/// RTP to a standard receiver: libavformat's payloader (<see cref="RtpPacketizer"/>) makes the packets, our own
/// sockets send RTP and RTCP sender reports, and the RTCP socket takes the receiver's reports, which become
/// <see cref="RtcpFeedback"/>: loss, jitter, RTT and a loss-based bound for the engine. Two ways to reach a receiver:
/// <list type="bullet">
/// <item><c>rtp://HOST:PORT</c> pushes RTP to PORT and RTCP to PORT+1 and writes an SDP file for the receiver (written
/// when the first keyframe sets the codec). FFmpeg started from an SDP file sends no receiver reports (its SDP demuxer
/// opens its sockets read-only); receivers that do report to the port above our RTP socket's reach us.</item>
/// <item><c>rtsp://HOST:PORT/PATH</c> serves the stream (<see cref="RtspServer"/>): a player pulls it with the URL alone,
/// and its reports come back to the RTCP port SETUP named. This is the way adaptation follows ffplay or VLC.</item>
/// </list>
/// Optionally through the impairment emulator (<c>net=</c>), as our own transport is.
/// </summary>
public sealed class RtpEgress : EgressWorker
{
    private readonly Socket _rtp;
    private readonly Socket _rtcp;
    private readonly Thread _reports;
    private readonly NetworkEmulator? _emulator;
    private readonly RtspServer? _server;
    private IPEndPoint? _rtpDestination;
    private IPEndPoint? _rtcpDestination;
    private DelayLine? _delayLine;
    private RtspPlayer? _player;
    private volatile VideoCodec _codec;
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
        var any = address.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        (_rtp, _rtcp) = BindPair(address.AddressFamily, any);
        _rtcp.ReceiveTimeout = 200;
        RtcpPort = ((IPEndPoint)_rtcp.LocalEndPoint!).Port;
        if (target.Impairment is { } spec)
        {
            _emulator = NetworkEmulator.FromSpec(spec, Directory.GetCurrentDirectory());
        }
        if (target.Kind == EgressKind.Rtsp)
        {
            try
            {
                _server = new RtspServer(new IPEndPoint(address, target.Port), target.Path, ((IPEndPoint)_rtp.LocalEndPoint!).Port, DescribeSdp,
                    line => log($"egress {target.Name}: {line}"));
            }
            catch (SocketException e)
            {
                _rtp.Dispose();
                _rtcp.Dispose();
                throw new UserFacingException($"--egress {target.Name}: cannot listen on {target.Host}:{target.Port}: {e.Message}");
            }
            log($"egress {target.Name}: RTSP server listening (ffplay {target.Name})");
        }
        else
        {
            _rtpDestination = new IPEndPoint(address, target.Port);
            _rtcpDestination = new IPEndPoint(address, target.Port + 1);
        }
        _reports = new Thread(ReadReports) { IsBackground = true, Name = "aqs-egress-rtcp" };
        _reports.Start();
    }

    /// <summary>The RTSP server, for an rtsp:// egress.</summary>
    public RtspServer? Server => _server;

    /// <summary>What DESCRIBE answers: our stream's codec as RTSP clients want it (media port 0, a control URL), null before the first frame.</summary>
    private string? DescribeSdp()
    {
        var encoding = _codec switch
        {
            VideoCodec.H264 => "H264/90000\r\na=fmtp:96 packetization-mode=1",
            VideoCodec.Hevc => "H265/90000",
            _ => null,
        };
        return encoding is null ? null
            : $"v=0\r\no=- 0 0 IN IP4 {Target.Host}\r\ns=AQS Quad\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\na=control:*\r\n"
              + $"m=video 0 RTP/AVP 96\r\na=rtpmap:96 {encoding}\r\na=control:streamid=0\r\n";
    }

    public RtcpFeedback Feedback { get; } = new();
    public long ReportsMalformed => Volatile.Read(ref _reportsMalformed);
    public long PacketsSent => Volatile.Read(ref _packetsSent);
    public long PacketsDroppedByEmulator { get; private set; }
    /// <summary>Where the SDP was written (full path), once the first keyframe set the codec.</summary>
    public string? SdpPath => _sdpPath;
    /// <summary>Where our RTCP socket listens for receiver reports.</summary>
    public int RtcpPort { get; }

    private long _reportsMalformed;
    private long _rtcpReceived;

    /// <summary>RTCP datagrams that reached our RTCP socket, whatever they held.</summary>
    public long RtcpReceived => Volatile.Read(ref _rtcpReceived);
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
        _codec = first.Codec;
        var destination = Target.Url;
        if (_server is not null)
        {
            // Waits for a player: the worker then starts it at a fresh keyframe.
            if (!_server.WaitForPlayer(Interrupt.Stop) || _server.Player is not { } player)
            {
                throw new IOException("stopped while waiting for an RTSP client");
            }
            _player = player;
            _rtpDestination = player.Rtp;
            _rtcpDestination = player.Rtcp;
            destination = $"rtp://{player.Rtp}";
        }
        if (_emulator is not null)
        {
            _delayLine = new DelayLine(_rtp, _rtpDestination!.Serialize());
        }
        _packetizer = RtpPacketizer.Open(destination, first.Codec, first.Width, first.Height, Target.PacketSize, OnPacket);
        if (_server is not null)
        {
            return;
        }
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

    protected override void Send(in EgressFrame frame)
    {
        if (_server is not null && _server.Player != _player)
        {
            throw new IOException("the RTSP client left");
        }
        _packetizer!.Write(frame.Data, frame.PtsNs, frame.DurationNs, frame.Keyframe);
    }

    protected override void Disconnect()
    {
        var packetizer = _packetizer;
        _packetizer = null;
        packetizer?.Dispose();
        _delayLine?.Drain(TimeSpan.FromMilliseconds(500));
        _delayLine?.Dispose();
        _delayLine = null;
        _player = null;
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
            _rtcp.SendTo(packet, SocketFlags.None, _rtcpDestination!);
            return;
        }
        lock (_rateLock)
        {
            _sendRate.OnAcked(now / 1000, packet.Length + 28);
        }
        Interlocked.Increment(ref _packetsSent);
        if (_emulator is null)
        {
            _rtp.SendTo(packet, SocketFlags.None, _rtpDestination!);
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
            Interlocked.Increment(ref _rtcpReceived);
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
        _server?.Dispose();
        _delayLine?.Dispose();
        _reports.Join(TimeSpan.FromSeconds(1));
        _rtp.Dispose();
        _rtcp.Dispose();
    }
}
