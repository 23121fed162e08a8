using System.Runtime.InteropServices;
using Aqs.Shared.Cli;
using Aqs.Shared.Frames;

namespace Aqs.Shared.Media;

/// <summary>
/// Muxes one live video stream (MPEG-TS by default) onto a libavformat protocol URL: <c>srt://</c> (caller or
/// listener, latency, passphrase: the URL's own query), <c>rist://</c>, <c>udp://</c>. Timestamps are nanoseconds, so
/// the frame rate may change mid-stream (AQS rung switches). H.264 and HEVC travel in-band (Annex B with parameter
/// sets in every keyframe), so a receiver can join at any keyframe and follows a change of size. Opening a listener
/// waits for its caller; every blocking call gives up when the <see cref="IoInterrupt"/> says so. Not thread-safe.
/// </summary>
public sealed unsafe class LiveStreamWriter : IDisposable
{
    private readonly SafeAvOutputContextHandle _context;
    private readonly SafeAvPacketHandle _packet;
    private readonly IntPtr _stream;
    private readonly TimeSpan _closeGrace;
    private bool _headerWritten;
    private long _lastDts = long.MinValue;

    public string Url { get; }
    public long PacketsWritten { get; private set; }
    public long BytesWritten { get; private set; }

    private LiveStreamWriter(string url, SafeAvOutputContextHandle context, SafeAvPacketHandle packet, IntPtr stream)
    {
        Url = url;
        _closeGrace = SrtCloseGrace(url);
        _context = context;
        _packet = packet;
        _stream = stream;
    }

    /// <summary>
    /// Opens <paramref name="url"/> (the protocol's options in its query string, as the ffmpeg command line takes them)
    /// and writes the <paramref name="formatName"/> header. A connection that cannot be made is one line naming the
    /// URL and the protocol's own reason (for SRT: libsrt's, e.g. a rejected passphrase).
    /// </summary>
    public static LiveStreamWriter Open(string url, string formatName, VideoCodec codec, int width, int height, IoInterrupt interrupt)
    {
        AvLibraries.EnsureSupported();
        StreamingSetup.EnsureNetwork();
        var codecId = OutputStreams.CodecIdOf(codec, $"cannot stream to {Redacted(url)}");
        if (codec == VideoCodec.Av1 && formatName == "mpegts")
        {
            throw new UserFacingException($"cannot stream to {Redacted(url)}: FFmpeg 5.1's MPEG-TS muxer has no AV1 mapping; use H.264 or HEVC");
        }
        AvError.ThrowIfError(Interop.AvFormat.avformat_alloc_output_context2(out var raw, IntPtr.Zero, formatName, url), $"avformat_alloc_output_context2({formatName})");
        var context = new SafeAvOutputContextHandle(raw);
        SafeAvPacketHandle? packet = null;
        var options = IntPtr.Zero;
        try
        {
            var stream = OutputStreams.AddVideo(context, codecId, width, height, OutputStreams.Nanoseconds, default, default);
            // Each packet leaves at once: no frame waits in the muxer's buffer for the next one.
            EncoderOptions.SetInt(raw, "flush_packets", 1);
            var ctx = new NativeStruct(raw, AvLayout.AVFormatContext_size_of);
            interrupt.InstallInto(raw);
            var pb = (IntPtr*)ctx.FieldAddress(AvLayout.AVFormatContext_pb, sizeof(IntPtr));
            // libav's own line for a failed connect would name the URL with its passphrase: ours below says it without.
            var rc = AvLog.Quietly(() => Interop.AvFormat.avio_open2(pb, url, Interop.AvFormat.AVIO_FLAG_WRITE, interrupt.Native, ref options));
            if (rc < 0)
            {
                throw new UserFacingException($"cannot stream to {Redacted(url)}: {StreamingSetup.Reason(url, rc, interrupt)}");
            }
            packet = Interop.AvCodec.av_packet_alloc();
            var writer = new LiveStreamWriter(url, context, packet, stream);
            rc = Interop.AvFormat.avformat_write_header(context, IntPtr.Zero);
            if (rc < 0)
            {
                throw new UserFacingException($"cannot stream to {Redacted(url)}: {formatName} header: {AvError.Describe(rc)}");
            }
            writer._headerWritten = true;
            return writer;
        }
        catch
        {
            Interop.AvUtil.av_dict_free(ref options);
            packet?.Dispose();
            context.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes one access unit stamped <paramref name="ptsNs"/> (dts = pts: the low-latency encoders make no B-frames;
    /// a timestamp that does not rise is moved 1 ns past the last, as muxers refuse it otherwise). Throws
    /// <see cref="AvException"/> when the connection is gone.
    /// </summary>
    public void Write(ReadOnlySpan<byte> data, long ptsNs, long durationNs, bool key)
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        var pts = ptsNs <= _lastDts ? _lastDts + 1 : ptsNs;
        _lastDts = pts;
        AvError.ThrowIfError(OutputStreams.Write(_context, _packet, _stream, data, pts, pts, Math.Max(0, durationNs), key, OutputStreams.Nanoseconds), $"write to {Redacted(Url)}");
        PacketsWritten++;
        BytesWritten += data.Length;
    }

    /// <summary>
    /// An SRT receiver holds each packet for its latency before it plays it, and drops what it still holds when the
    /// sender closes: so a closing sender waits that long after its last packet. The latency is the larger of both
    /// sides'; we know ours (the URL's, in µs, or SRT's 120 ms default) and allow 120 ms for a peer's default.
    /// </summary>
    private static TimeSpan SrtCloseGrace(string url)
    {
        if (!url.StartsWith("srt://", StringComparison.OrdinalIgnoreCase))
        {
            return TimeSpan.Zero;
        }
        var at = url.IndexOf("latency=", StringComparison.Ordinal);
        var micros = 120_000L;
        if (at >= 0)
        {
            var end = url.IndexOf('&', at);
            _ = long.TryParse(url.AsSpan(at + "latency=".Length, (end < 0 ? url.Length : end) - at - "latency=".Length), out micros);
        }
        return TimeSpan.FromMicroseconds(Math.Max(micros, 120_000) + 100_000);
    }

    /// <summary>The URL with any passphrase blanked, for logs and errors.</summary>
    public static string Redacted(string url) => StreamingSetup.Redact(url);

    /// <summary>Writes the trailer and closes; a connection already gone fails the trailer too, with nothing more to tell the receiver.</summary>
    public void Dispose() => OutputStreams.Close(_context, _packet, ref _headerWritten, rc =>
    {
        if (rc >= 0 && PacketsWritten > 0)
        {
            Thread.Sleep(_closeGrace);
        }
    });
}

/// <summary>What every network muxer and demuxer shares: network init, the reason a connection failed, redaction.</summary>
internal static class StreamingSetup
{
    private static readonly Lazy<int> Network = new(Initialise, LazyThreadSafetyMode.ExecutionAndPublication);

    public static void EnsureNetwork() => _ = Network.Value;

    private static int Initialise()
    {
        SrtLog.Install();
        return Interop.AvFormat.avformat_network_init();
    }

    /// <summary>
    /// One line for a failed open: a timeout or a stop says so; SRT adds what libsrt logged about the refusal
    /// (libavformat only says "Input/output error" when a listener rejects a wrong passphrase).
    /// </summary>
    public static string Reason(string url, int rc, IoInterrupt interrupt)
    {
        if (rc == AvError.Exit)
        {
            return interrupt.Stop.IsCancellationRequested ? "stopped while connecting" : "no connection within the time allowed";
        }
        var text = AvError.Describe(rc);
        if (url.StartsWith("srt://", StringComparison.OrdinalIgnoreCase) && SrtLog.TakeRejection() is { } why)
        {
            text = $"the SRT peer refused us: {why} (both sides need the same passphrase and pbkeylen)";
        }
        return text;
    }

    /// <summary>Blanks <c>passphrase=...</c> in a URL's query so that logs and errors never show a secret.</summary>
    public static string Redact(string url)
    {
        var at = url.IndexOf("passphrase=", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return url;
        }
        var end = url.IndexOf('&', at);
        return url[..(at + "passphrase=".Length)] + "***" + (end < 0 ? "" : url[end..]);
    }
}
