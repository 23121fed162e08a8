using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Aqs.Shared.Cli;
using Aqs.Shared.Frames;

namespace Aqs.Shared.Media;

/// <summary>
/// libavformat's RTP muxer (payload formats RFC 6184 for H.264, RFC 7798 for HEVC; RTCP sender reports; a BYE at the
/// end) writing into our hands instead of a socket: every RTP or RTCP packet it makes goes to <see cref="PacketSink"/>,
/// so the caller owns the sockets and reads the receiver reports that come back. <see cref="Sdp"/> describes the stream
/// for standard receivers. Access units go in with nanosecond timestamps (the muxer turns them into the 90 kHz RTP
/// clock). Not thread-safe.
/// </summary>
public sealed unsafe class RtpPacketizer : IDisposable
{
    /// <summary>Receives one whole RTP or RTCP packet; the span is valid only during the call.</summary>
    public delegate void PacketSink(ReadOnlySpan<byte> packet);

    private const int IoBufferSize = 8192;
    private readonly SafeAvOutputContextHandle _context;
    private readonly SafeAvPacketHandle _packet;
    private readonly PacketSink _sink;
    private IntPtr _stream;
    private IntPtr _io;
    private GCHandle _self;
    private Exception? _sinkError;
    private bool _headerWritten;
    private long _lastPts = long.MinValue;

    public string Destination { get; }
    /// <summary>The session description (RFC 4566) a receiver opens: ffplay/ffprobe/VLC take it as a file.</summary>
    public string Sdp { get; private set; } = "";
    /// <summary>Our synchronisation source: receiver report blocks about this stream name it.</summary>
    public uint Ssrc { get; private set; }
    public int PayloadType { get; private set; }

    private RtpPacketizer(string destination, SafeAvOutputContextHandle context, SafeAvPacketHandle packet, PacketSink sink)
    {
        Destination = destination;
        _context = context;
        _packet = packet;
        _sink = sink;
    }

    /// <summary>
    /// Sets up the muxer for <paramref name="destination"/> (<c>rtp://HOST:PORT</c>, written into the SDP's c= and m=
    /// lines) with packets of at most <paramref name="maxPacketSize"/> bytes, and writes its header (the first RTCP
    /// sender report goes out with the first packet).
    /// </summary>
    public static RtpPacketizer Open(string destination, VideoCodec codec, int width, int height, int maxPacketSize, PacketSink sink)
    {
        AvLibraries.EnsureSupported();
        if (codec == VideoCodec.Av1)
        {
            throw new UserFacingException($"{destination}: FFmpeg 5.1's RTP muxer has no AV1 payload format (added in FFmpeg 7.1); use H.264 or HEVC for RTP, or stream AV1 some other way");
        }
        var codecId = OutputStreams.CodecIdOf(codec, destination);
        if (maxPacketSize is < 100 or > 65000)
        {
            throw new UserFacingException($"{destination}: RTP packet size {maxPacketSize} is outside 100..65000");
        }
        AvError.ThrowIfError(Interop.AvFormat.avformat_alloc_output_context2(out var raw, IntPtr.Zero, "rtp", destination), "avformat_alloc_output_context2(rtp)");
        var context = new SafeAvOutputContextHandle(raw);
        var packetizer = new RtpPacketizer(destination, context, Interop.AvCodec.av_packet_alloc(), sink);
        try
        {
            packetizer.Start(raw, codecId, width, height, maxPacketSize);
            return packetizer;
        }
        catch
        {
            packetizer.Dispose();
            throw;
        }
    }

    private void Start(IntPtr raw, int codecId, int width, int height, int maxPacketSize)
    {
        // In-band parameter sets only: the SDP carries no sprop, so a size change at a rung switch needs nothing but the keyframe.
        _stream = OutputStreams.AddVideo(_context, codecId, width, height, new Interop.AVRational(1, 90_000), default, default);
        EncoderOptions.SetInt(raw, "packetsize", maxPacketSize);
        EncoderOptions.Set(raw, "rtpflags", "send_bye");
        _self = GCHandle.Alloc(this, GCHandleType.Normal);
        var buffer = Interop.AvUtil.av_malloc(IoBufferSize);
        if (buffer == IntPtr.Zero)
        {
            throw new AvException("av_malloc", AvError.ENOMEM, "out of memory");
        }
        _io = Interop.AvFormat.avio_alloc_context(buffer, IoBufferSize, 1, GCHandle.ToIntPtr(_self), IntPtr.Zero, &WritePacket, IntPtr.Zero);
        if (_io == IntPtr.Zero)
        {
            Interop.AvUtil.av_free(buffer);
            throw new AvException("avio_alloc_context", AvError.ENOMEM, "out of memory");
        }
        new NativeStruct(raw, AvLayout.AVFormatContext_size_of).Write(AvLayout.AVFormatContext_pb, _io);
        AvError.ThrowIfError(Interop.AvFormat.avformat_write_header(_context, IntPtr.Zero), "avformat_write_header(rtp)");
        _headerWritten = true;
        ThrowSinkError();
        AvError.ThrowIfError(Interop.AvUtil.av_opt_get_int(raw, "ssrc", Interop.AvUtil.AV_OPT_SEARCH_CHILDREN, out var ssrc), "av_opt_get_int(ssrc)");
        AvError.ThrowIfError(Interop.AvUtil.av_opt_get_int(raw, "payload_type", Interop.AvUtil.AV_OPT_SEARCH_CHILDREN, out var payloadType), "av_opt_get_int(payload_type)");
        Ssrc = (uint)ssrc;
        PayloadType = (int)payloadType;
        Sdp = CreateSdp(raw);
    }

    private static string CreateSdp(IntPtr context)
    {
        const int size = 4096;
        var text = stackalloc byte[size];
        var contexts = stackalloc IntPtr[1];
        contexts[0] = context;
        AvError.ThrowIfError(Interop.AvFormat.av_sdp_create(contexts, 1, text, size), "av_sdp_create");
        return Encoding.UTF8.GetString(text, new ReadOnlySpan<byte>(text, size).IndexOf((byte)0));
    }

    /// <summary>Packetizes one access unit; its RTP packets (and an RTCP sender report when one is due) reach the sink before this returns.</summary>
    public void Write(ReadOnlySpan<byte> data, long ptsNs, long durationNs, bool key)
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        var pts = ptsNs <= _lastPts ? _lastPts + 1 : ptsNs;
        _lastPts = pts;
        var rc = OutputStreams.Write(_context, _packet, _stream, data, pts, pts, Math.Max(0, durationNs), key, OutputStreams.Nanoseconds);
        ThrowSinkError();
        AvError.ThrowIfError(rc, "rtp write");
    }

    private void ThrowSinkError()
    {
        if (_sinkError is { } e)
        {
            _sinkError = null;
            throw new IOException($"{Destination}: sending failed: {e.Message}", e);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int WritePacket(IntPtr opaque, byte* buffer, int size)
    {
        // Never let an exception cross the native frame: keep it and fail the write instead.
        if (GCHandle.FromIntPtr(opaque).Target is not RtpPacketizer self)
        {
            return AvError.EINVAL;
        }
        try
        {
            self._sink(new ReadOnlySpan<byte>(buffer, size));
            return size;
        }
        catch (Exception e)
        {
            self._sinkError ??= e;
            return AvError.EIO;
        }
    }

    /// <summary>Writes the trailer (the BYE), then frees the context and the byte I/O, which is ours, not the context's.</summary>
    public void Dispose()
    {
        OutputStreams.Close(_context, _packet, ref _headerWritten, _ =>
        {
            if (_io == IntPtr.Zero)
            {
                return;
            }
            // Detached first, so that freeing the context does not avio_close it.
            new NativeStruct(_context.DangerousGetHandle(), AvLayout.AVFormatContext_size_of).Write(AvLayout.AVFormatContext_pb, IntPtr.Zero);
            var io = new NativeStruct(_io, AvLayout.AVIOContext_size_of);
            Interop.AvUtil.av_freep((IntPtr*)io.FieldAddress(AvLayout.AVIOContext_buffer, sizeof(IntPtr)));
            Interop.AvFormat.avio_context_free(ref _io);
        });
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }
}
