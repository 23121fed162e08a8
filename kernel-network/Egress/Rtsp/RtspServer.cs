using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Aqs.Kernel.Network.Egress.Rtsp;

/// <summary>Where the one playing RTSP client wants its RTP and RTCP.</summary>
public sealed record RtspPlayer(IPEndPoint Rtp, IPEndPoint Rtcp, string Session);

/// <summary>
/// A small RTSP 1.0 server (RFC 2326) for one live stream and one client at a time, so that standard players
/// (ffplay, ffmpeg, VLC) can pull our RTP with nothing but a URL, and, unlike a receiver started from an SDP file
/// (FFmpeg's SDP demuxer opens its RTP sockets read-only and never reports), send RTCP receiver reports back to our
/// RTCP port. OPTIONS, DESCRIBE (the SDP from <see cref="DescribeSdp"/>), SETUP (RTP/AVP over UDP only: our RTP and
/// RTCP ports as server_port), PLAY, GET_PARAMETER (keep-alive) and TEARDOWN; a closed connection ends the session.
/// A second client while one plays gets 453. Anything unparseable gets 400 and is counted, never thrown.
/// </summary>
public sealed class RtspServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly string _path;
    private readonly int _serverRtpPort;
    private readonly Func<string?> _sdp;
    private readonly Action<string> _log;
    private readonly Thread _accept;
    private readonly object _lock = new();
    private readonly ManualResetEventSlim _playing = new(false);
    private RtspPlayer? _player;
    private volatile bool _closing;
    private long _badRequests;

    /// <param name="describeSdp">The stream's SDP (m= port 0, a=control:streamid=0), or null before the first frame.</param>
    /// <param name="describeWait">How long DESCRIBE waits for the SDP before 503 (<see cref="DefaultDescribeWait"/> when null).</param>
    public RtspServer(IPEndPoint listen, string path, int serverRtpPort, Func<string?> describeSdp, Action<string> log, TimeSpan? describeWait = null)
    {
        _describeWait = describeWait ?? DefaultDescribeWait;
        _path = path.Trim('/');
        _serverRtpPort = serverRtpPort;
        _sdp = describeSdp;
        _log = log;
        _listener = new TcpListener(listen);
        _listener.Start();
        _accept = new Thread(Accept) { IsBackground = true, Name = "aqs-rtsp" };
        _accept.Start();
    }

    public IPEndPoint LocalEndpoint => (IPEndPoint)_listener.LocalEndpoint;
    public long BadRequests => Interlocked.Read(ref _badRequests);
    public long Sessions { get; private set; }

    /// <summary>The client now playing, or null.</summary>
    public RtspPlayer? Player
    {
        get
        {
            lock (_lock)
            {
                return _player;
            }
        }
    }

    /// <summary>Waits until a client plays (true) or <paramref name="stop"/> is cancelled (false).</summary>
    public bool WaitForPlayer(CancellationToken stop)
    {
        try
        {
            _playing.Wait(stop);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>How long DESCRIBE waits for the stream's first keyframe before it answers 503, unless the constructor says otherwise.</summary>
    public static readonly TimeSpan DefaultDescribeWait = TimeSpan.FromSeconds(10);

    private readonly TimeSpan _describeWait;

    /// <summary>
    /// The SDP, waiting a little when the stream has not started: players (ffplay, VLC) do not retry a 503, so one that
    /// arrives a moment before the first keyframe would otherwise give up. Each client has its own thread.
    /// </summary>
    private string? WaitForSdp()
    {
        var deadline = Environment.TickCount64 + (long)_describeWait.TotalMilliseconds;
        var sdp = _sdp();
        while (sdp is null && !_closing && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(50);
            sdp = _sdp();
        }
        return sdp;
    }

    private void Accept()
    {
        while (!_closing)
        {
            TcpClient client;
            try
            {
                client = _listener.AcceptTcpClient();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            new Thread(() => Serve(client)) { IsBackground = true, Name = "aqs-rtsp-client" }.Start();
        }
    }

    private void Serve(TcpClient client)
    {
        string? session = null;
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var reader = new StreamReader(stream, Encoding.ASCII);
                var remote = ((IPEndPoint)client.Client.RemoteEndPoint!).Address;
                while (!_closing)
                {
                    var request = RtspRequest.Read(reader);
                    if (request is null)
                    {
                        break;
                    }
                    var reply = Handle(request, remote, ref session);
                    var bytes = Encoding.ASCII.GetBytes(reply);
                    stream.Write(bytes);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // The client went away: its session ends below.
            }
            catch (FormatException)
            {
                Interlocked.Increment(ref _badRequests);
            }
        }
        EndSession(session);
    }

    private string Handle(RtspRequest request, IPAddress remote, ref string? session)
    {
        if (request.CSeq is null)
        {
            Interlocked.Increment(ref _badRequests);
            return Reply(request, "400 Bad Request");
        }
        switch (request.Method)
        {
            case "OPTIONS":
                return Reply(request, "200 OK", "Public: OPTIONS, DESCRIBE, SETUP, PLAY, GET_PARAMETER, TEARDOWN\r\n");
            case "DESCRIBE":
            {
                if (!PathMatches(request.Url))
                {
                    return Reply(request, "404 Not Found");
                }
                var sdp = WaitForSdp();
                if (sdp is null)
                {
                    return Reply(request, "503 Service Unavailable", "Retry-After: 1\r\n");
                }
                var baseUrl = request.Url.TrimEnd('/') + "/";
                return Reply(request, "200 OK", $"Content-Base: {baseUrl}\r\nContent-Type: application/sdp\r\n", sdp);
            }
            case "SETUP":
            {
                if (!PathMatches(request.Url))
                {
                    return Reply(request, "404 Not Found");
                }
                lock (_lock)
                {
                    if (_player is not null && _player.Session != session)
                    {
                        return Reply(request, "453 Not Enough Bandwidth"); // one client at a time
                    }
                }
                if (!TryClientPorts(request.Header("Transport"), out var rtpPort, out var rtcpPort))
                {
                    return Reply(request, "461 Unsupported Transport");
                }
                session ??= Random.Shared.NextInt64(1, long.MaxValue).ToString("x16", CultureInfo.InvariantCulture);
                var player = new RtspPlayer(new IPEndPoint(remote, rtpPort), new IPEndPoint(remote, rtcpPort), session);
                lock (_lock)
                {
                    _pending = player;
                }
                return Reply(request, "200 OK",
                    $"Transport: RTP/AVP/UDP;unicast;client_port={rtpPort}-{rtcpPort};server_port={_serverRtpPort}-{_serverRtpPort + 1}\r\nSession: {session};timeout=60\r\n");
            }
            case "PLAY":
                lock (_lock)
                {
                    if (_pending is null || _pending.Session != session)
                    {
                        return Reply(request, "455 Method Not Valid in This State");
                    }
                    _player = _pending;
                    Sessions++;
                }
                _playing.Set();
                _log($"RTSP client {remote} plays (RTP to {Player!.Rtp})");
                return Reply(request, "200 OK", $"Session: {session}\r\nRange: npt=0.000-\r\n");
            case "GET_PARAMETER":
                return Reply(request, "200 OK", session is null ? "" : $"Session: {session}\r\n");
            case "TEARDOWN":
                EndSession(session);
                session = null;
                return Reply(request, "200 OK");
            default:
                return Reply(request, "501 Not Implemented");
        }
    }

    private RtspPlayer? _pending;

    private void EndSession(string? session)
    {
        if (session is null)
        {
            return;
        }
        lock (_lock)
        {
            if (_pending?.Session == session)
            {
                _pending = null;
            }
            if (_player?.Session != session)
            {
                return;
            }
            _player = null;
            _playing.Reset();
        }
        _log("RTSP client left");
    }

    private bool PathMatches(string url)
    {
        // rtsp://host:port/path[/streamid=0]: the path, with or without the control suffix.
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var slash = schemeEnd < 0 ? -1 : url.IndexOf('/', schemeEnd + 3);
        var path = slash < 0 ? "" : url[(slash + 1)..].Trim('/');
        return path == _path || path == _path + "/streamid=0" || (_path.Length == 0 && path == "streamid=0");
    }

    /// <summary>client_port=A-B of a <c>RTP/AVP[/UDP];unicast</c> transport; false for TCP interleaving or multicast.</summary>
    internal static bool TryClientPorts(string? transport, out int rtp, out int rtcp)
    {
        rtp = rtcp = 0;
        if (transport is null)
        {
            return false;
        }
        foreach (var option in transport.Split(','))
        {
            var parts = option.Split(';', StringSplitOptions.TrimEntries);
            if (parts[0] is not ("RTP/AVP" or "RTP/AVP/UDP") || parts.Contains("multicast"))
            {
                continue;
            }
            var ports = parts.FirstOrDefault(p => p.StartsWith("client_port=", StringComparison.Ordinal))?["client_port=".Length..].Split('-');
            if (ports is { Length: >= 1 } && int.TryParse(ports[0], NumberStyles.None, CultureInfo.InvariantCulture, out rtp) && rtp is > 0 and < 65535)
            {
                rtcp = ports.Length > 1 && int.TryParse(ports[1], NumberStyles.None, CultureInfo.InvariantCulture, out var second) && second is > 0 and <= 65535 ? second : rtp + 1;
                return true;
            }
        }
        return false;
    }

    private static string Reply(RtspRequest request, string status, string headers = "", string body = "")
    {
        var text = new StringBuilder();
        text.Append("RTSP/1.0 ").Append(status).Append("\r\n");
        text.Append("CSeq: ").Append(request.CSeq ?? "0").Append("\r\n");
        text.Append("Server: AQS Quad\r\n");
        text.Append(headers);
        if (body.Length > 0)
        {
            text.Append("Content-Length: ").Append(Encoding.ASCII.GetByteCount(body).ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }
        text.Append("\r\n").Append(body);
        return text.ToString();
    }

    public void Dispose()
    {
        _closing = true;
        _listener.Stop();
        _accept.Join(TimeSpan.FromSeconds(1));
        _playing.Set(); // nobody waits for a player that will never come
        _playing.Dispose();
    }
}

/// <summary>One RTSP request: the request line and headers (a body, if any, is read and ignored).</summary>
internal sealed record RtspRequest(string Method, string Url, IReadOnlyDictionary<string, string> Headers)
{
    private const int MaxLines = 64;
    private const int MaxBody = 64 * 1024;

    public string? CSeq => Header("CSeq");

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The next request, or null at the end of the connection. Throws <see cref="FormatException"/> on garbage.</summary>
    public static RtspRequest? Read(TextReader reader)
    {
        string? line;
        do
        {
            line = reader.ReadLine();
            if (line is null)
            {
                return null;
            }
        }
        while (line.Length == 0);
        var parts = line.Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("RTSP/", StringComparison.Ordinal))
        {
            throw new FormatException($"not an RTSP request line: {line}");
        }
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < MaxLines; i++)
        {
            line = reader.ReadLine() ?? throw new FormatException("connection ended inside a request");
            if (line.Length == 0)
            {
                if (headers.TryGetValue("Content-Length", out var lengthText) && int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length is > 0 and <= MaxBody)
                {
                    var body = new char[length];
                    reader.ReadBlock(body, 0, length);
                }
                return new RtspRequest(parts[0], parts[1], headers);
            }
            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }
        throw new FormatException("too many header lines");
    }
}
