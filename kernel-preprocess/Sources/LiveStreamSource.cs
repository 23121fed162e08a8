using Aqs.Shared.Cli;
using Aqs.Shared.Frames;
using Aqs.Shared.Media;

namespace Aqs.Kernel.Preprocess.Sources;

/// <summary>
/// A live stream from the network as Kernel B's source: <c>srt://</c> (caller or listener, passphrase in the query),
/// <c>rist://</c>, <c>udp://</c> carrying MPEG-TS, and RTP described by an <c>.sdp</c> file (as ffmpeg's
/// <c>-sdp_file</c> writes it; our receiver reports go back to the sender). It waits for its first stream until
/// the kernel stops, then delivers frames as they arrive (live: published unpaced). When the sender goes away
/// (end of stream, or no data for <see cref="DefaultIdleTimeout"/>) it says so in one line and waits for it to come back;
/// the stream resumes at the same frame size and format (frames of a sender that restarted at another size are
/// scaled to the first one), with timestamps that keep rising and a keyframe hint on its first frame.
/// </summary>
public sealed class LiveStreamSource : IFrameSource
{
    /// <summary>Longest silence before the sender is taken to be gone, unless the caller gives another.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(500);

    private readonly string _url;
    private readonly IReadOnlyDictionary<string, string> _options;
    private readonly IoInterrupt _interrupt;
    private readonly CancellationToken _stop;
    private readonly Action<string> _log;
    private readonly TimeSpan _idleTimeout;
    private MediaFileReader? _reader;
    private long _index;
    private long _ptsOffset;
    private long _passFirstPts = -1;
    private long _lastPts = -1;
    private bool _resumed;
    private bool _silent;

    private LiveStreamSource(string url, IReadOnlyDictionary<string, string> options, IoInterrupt interrupt, CancellationToken stop,
        Action<string> log, MediaFileReader first, double fps, TimeSpan idleTimeout)
    {
        _idleTimeout = idleTimeout;
        _url = url;
        _options = options;
        _interrupt = interrupt;
        _stop = stop;
        _log = log;
        _reader = first;
        Layout = first.Layout;
        Fps = fps;
    }

    public FrameLayout Layout { get; }
    public double Fps { get; }
    public ColorDescription Color { get; private set; } = ColorDescription.Unknown;
    public bool IsLive => true;
    /// <summary>Times the sender went away and a stream came back.</summary>
    public int Reconnects { get; private set; }
    public string Name => LiveStreamWriter.Redacted(_url);

    /// <summary>True for the inputs this source reads: srt://, rist://, udp://, rtp:// and .sdp files.</summary>
    public static bool Handles(string input) =>
        SchemeOf(input) is "srt" or "rist" or "udp" or "rtp" || (SchemeOf(input) == "" && input.EndsWith(".sdp", StringComparison.OrdinalIgnoreCase));

    private static string SchemeOf(string input)
    {
        var end = input.IndexOf("://", StringComparison.Ordinal);
        return end > 0 ? input[..end].ToLowerInvariant() : "";
    }

    /// <summary>Waits for the first stream (until <see cref="SourceOpenOptions.Stopping"/>); an input that can never work is one line at once.</summary>
    public static LiveStreamSource Open(string input, SourceOpenOptions o, Action<string>? log = null, TimeSpan? idleTimeout = null)
    {
        log ??= line => Console.Error.WriteLine($"kernel-preprocess: {line}");
        var (url, options) = Describe(input);
        var interrupt = new IoInterrupt(o.Stopping);
        try
        {
            var reader = Connect(url, options, interrupt, null, log, o.Stopping)
                ?? throw new SourceException($"{LiveStreamWriter.Redacted(url)}: stopped before a stream arrived");
            var fps = reader.Fps > 0 ? reader.Fps
                : o.Fps is not null && FrameRate.TryParse(o.Fps, out var rate) ? rate.Fps
                : 30.0;
            log($"{LiveStreamWriter.Redacted(url)}: receiving {reader.CodecName} {reader.Layout} @ {fps:F2} fps");
            return new LiveStreamSource(url, options, interrupt, o.Stopping, log, reader, fps, idleTimeout ?? DefaultIdleTimeout);
        }
        catch
        {
            interrupt.Dispose();
            throw;
        }
    }

    /// <summary>The URL libavformat opens and the demuxer options each kind needs.</summary>
    internal static (string Url, IReadOnlyDictionary<string, string> Options) Describe(string input)
    {
        CheckHost(input);
        // A live viewer's probe: 1 s of stream instead of libavformat's 5 before the first frame comes out.
        var options = new Dictionary<string, string> { ["analyzeduration"] = "1000000" };
        switch (SchemeOf(input))
        {
            case "rtp":
                throw new SourceException($"{input}: RTP needs its session description: give the .sdp file as --input (ffmpeg writes one with -sdp_file FILE)");
            case "udp":
                // A burst larger than the socket's queue must cost packets (counted by the decoder), not the input.
                return (input.Contains("overrun_nonfatal", StringComparison.Ordinal) ? input : input + (input.Contains('?') ? "&" : "?") + "overrun_nonfatal=1", options);
            case "":
                if (!File.Exists(input))
                {
                    throw new SourceException($"{input}: no such SDP file");
                }
                options["protocol_whitelist"] = "file,udp,rtp";
                // Our receiver reports go back to where the sender's reports come from, not to the c= address (often ourselves).
                options["sdp_flags"] = "rtcp_to_source";
                return (input, options);
            default:
                return (input, options);
        }
    }

    /// <summary>A host name that does not resolve is one line now: waiting would never mend it (libavformat says only "I/O error").</summary>
    private static void CheckHost(string input)
    {
        var start = input.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return;
        }
        var rest = input[(start + 3)..].TrimStart('@');
        var end = rest.IndexOfAny(['/', '?']);
        var authority = end < 0 ? rest : rest[..end];
        var colon = authority.LastIndexOf(':');
        var host = (colon < 0 ? authority : authority[..colon]).Trim('[', ']');
        if (host.Length == 0 || System.Net.IPAddress.TryParse(host, out _))
        {
            return;
        }
        try
        {
            _ = System.Net.Dns.GetHostAddresses(host);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new SourceException($"{LiveStreamWriter.Redacted(input)}: cannot resolve host '{host}': {e.Message}");
        }
    }

    /// <summary>
    /// Opens the stream, trying again while the sender is away; null when stopped first. A passive input (a listener,
    /// a UDP port, an SDP) waits in one open for as long as it takes, so a sender never meets a gap between two
    /// listens; a caller whose peer refuses it or is not there tries again. Errors no retry can mend throw.
    /// </summary>
    private static MediaFileReader? Connect(string url, IReadOnlyDictionary<string, string> options, IoInterrupt interrupt, FrameLayout? layout,
        Action<string> log, CancellationToken stop)
    {
        string? lastProblem = null;
        while (!stop.IsCancellationRequested)
        {
            interrupt.Arm(Timeout.InfiniteTimeSpan);
            try
            {
                return MediaFileReader.Open(url, null, options, interrupt, layout);
            }
            catch (UserFacingException) when (stop.IsCancellationRequested)
            {
                return null;
            }
            catch (UserFacingException e) when (Retryable(e.Message))
            {
                if (e.Message != lastProblem)
                {
                    log($"{e.Message}; waiting for the sender");
                    lastProblem = e.Message;
                }
                stop.WaitHandle.WaitOne(RetryPause);
            }
            catch (UserFacingException e) when (e is not SourceException)
            {
                throw new SourceException(e.Message);
            }
            catch (AvException e)
            {
                throw new SourceException($"{LiveStreamWriter.Redacted(url)}: {e.Message}");
            }
        }
        return null;
    }

    /// <summary>A sender not there yet (or gone) mends itself; a bad URL, an unknown option or a missing protocol does not.</summary>
    private static bool Retryable(string message) =>
        message.Contains("Connection refused", StringComparison.OrdinalIgnoreCase)
        || message.Contains("timed out", StringComparison.OrdinalIgnoreCase)
        || message.Contains("Input/output error", StringComparison.OrdinalIgnoreCase)
        || message.Contains("no video stream", StringComparison.Ordinal)
        || message.Contains("has no frame size", StringComparison.Ordinal)
        || message.Contains("Invalid data found", StringComparison.Ordinal)
        || message.Contains("refused us", StringComparison.Ordinal);

    public bool TryReadFrame(Span<byte> destination, out SourceFrameInfo info)
    {
        while (true)
        {
            if (_reader is null && !Reconnect())
            {
                info = default;
                return false;
            }
            _interrupt.Arm(_idleTimeout);
            bool got;
            DecodedFrame frame = default;
            try
            {
                got = _reader!.TryReadFrame(out frame);
            }
            catch (AvException)
            {
                got = false;
            }
            // The reader hands out what its decoder still holds after the input stopped: note the silence when it happens.
            _silent |= _interrupt.TimedOut;
            if (got)
            {
                frame.View.CopyTo(destination);
                Color = frame.Color;
                info = Stamp(frame);
                return true;
            }
            if (_stop.IsCancellationRequested)
            {
                info = default;
                return false;
            }
            _log($"{Name}: {(_silent ? $"no data for {_idleTimeout.TotalSeconds:0.#} s" : "the stream ended")}; waiting for the sender to come back");
            _silent = false;
            _reader!.Dispose();
            _reader = null;
        }
    }

    private bool Reconnect()
    {
        _reader = Connect(_url, _options, _interrupt, Layout, _log, _stop);
        if (_reader is null)
        {
            return false;
        }
        Reconnects++;
        _resumed = true;
        _ptsOffset = _lastPts + (long)(1e9 / Fps);
        _passFirstPts = -1;
        _log($"{Name}: the stream is back ({_reader.CodecName}, reconnect {Reconnects})");
        return true;
    }

    /// <summary>Timestamps from the stream, kept rising across reconnects; the first frame of a stream is a keyframe hint.</summary>
    private SourceFrameInfo Stamp(in DecodedFrame frame)
    {
        var streamPts = frame.PtsNs >= 0 ? frame.PtsNs : _lastPts + (long)(1e9 / Fps) - _ptsOffset;
        if (_passFirstPts < 0)
        {
            _passFirstPts = streamPts;
        }
        var pts = Math.Max(_ptsOffset + (streamPts - _passFirstPts), _lastPts + 1);
        var first = _index == 0 || _resumed;
        _resumed = false;
        _lastPts = pts;
        return new SourceFrameInfo(_index++, pts, SceneCut: first && _index > 1, Keyframe: first);
    }

    public void Dispose()
    {
        _reader?.Dispose();
        _reader = null;
        _interrupt.Dispose();
    }
}
