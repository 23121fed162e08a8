using System.Diagnostics;
using Aqs.Shared.Cli;
using Aqs.Shared.Frames;

namespace Aqs.Shared.Media;

/// <summary>
/// One libavcodec encoder session. Call <see cref="TryReceive"/> until it returns false after every
/// <see cref="Send"/> (low-latency settings give one packet per frame). Not thread-safe: one caller.
/// Per frame nothing managed is allocated: the picture is copied into one reused AVFrame (made writable
/// again only when the encoder still references its last buffers) and packets come out of one reused AVPacket.
/// </summary>
public sealed class VideoEncoder : IDisposable
{
    private const int TimingSlots = 64;

    private readonly SafeAvCodecContextHandle _context;
    private readonly SafeAvFrameHandle _frame;
    private readonly SafeAvPacketHandle _packet;
    private readonly KnownEncoder _known;
    private readonly FrameLayout _layout;
    // Send time of recent frames by pts, to report encode latency per packet without allocating.
    private readonly long[] _sentPts = new long[TimingSlots];
    private readonly long[] _sentTicks = new long[TimingSlots];
    private int _sentCursor;
    private bool _forceNext;
    private bool _draining;

    private VideoEncoder(KnownEncoder known, EncoderSettings settings, SafeAvCodecContextHandle context, SafeAvFrameHandle frame, SafeAvPacketHandle packet, FrameLayout layout)
    {
        _known = known;
        Settings = settings;
        _context = context;
        _frame = frame;
        _packet = packet;
        _layout = layout;
        Array.Fill(_sentPts, long.MinValue);
    }

    public EncoderSettings Settings { get; private set; }

    public VideoCodec Codec => _known.Codec;

    /// <summary>The FFmpeg encoder actually used (what "auto" resolved to).</summary>
    public string EncoderName => _known.Name;

    /// <summary>True where <see cref="SetBitrate"/> works on the open encoder (libx264, nvenc); the others must be re-opened.</summary>
    public bool SupportsLiveBitrate => _known.SupportsLiveBitrate;

    /// <summary>Codec headers when opened with <see cref="EncoderSettings.GlobalHeader"/>; empty otherwise.</summary>
    public unsafe ReadOnlySpan<byte> Extradata
    {
        get
        {
            var ctx = NativeStruct.CodecContext(_context);
            var data = ctx.Read<IntPtr>(AvLayout.AVCodecContext_extradata);
            var size = ctx.Read<int>(AvLayout.AVCodecContext_extradata_size);
            return data == IntPtr.Zero || size <= 0 ? default : new ReadOnlySpan<byte>((void*)data, size);
        }
    }

    public static VideoEncoder Open(EncoderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        AvLibraries.EnsureSupported();
        Validate(settings);
        var known = Resolve(settings);
        return OpenExact(known, settings);
    }

    /// <summary>Opens <paramref name="known"/> without the catalog checks (the catalog's own open test uses it).</summary>
    internal static VideoEncoder OpenExact(KnownEncoder known, EncoderSettings settings)
    {
        var codec = Interop.AvCodec.avcodec_find_encoder_by_name(known.Name);
        if (codec == IntPtr.Zero)
        {
            throw new UserFacingException($"encoder '{known.Name}' is not in this libavcodec build; available here: {EncoderCatalog.Summary()}");
        }
        var layout = new FrameLayout(settings.Width, settings.Height, settings.Format);
        var avFormat = AvPixelFormats.ToAvFormat(settings.Format);
        var context = Interop.AvCodec.avcodec_alloc_context3(codec);
        SafeAvFrameHandle? frame = null;
        SafeAvPacketHandle? packet = null;
        try
        {
            if (context.IsInvalid)
            {
                throw new AvException("avcodec_alloc_context3", AvError.ENOMEM, "out of memory");
            }
            EncoderOptions.Apply(context, known, settings, avFormat);
            AvError.ThrowIfError(Interop.AvCodec.avcodec_open2(context, codec, IntPtr.Zero), $"avcodec_open2({known.Name})");
            frame = Interop.AvUtil.av_frame_alloc();
            packet = Interop.AvCodec.av_packet_alloc();
            if (frame.IsInvalid || packet.IsInvalid)
            {
                throw new AvException("av_frame_alloc/av_packet_alloc", AvError.ENOMEM, "out of memory");
            }
            var f = NativeStruct.Frame(frame);
            f.Write(AvLayout.AVFrame_width, settings.Width);
            f.Write(AvLayout.AVFrame_height, settings.Height);
            f.Write(AvLayout.AVFrame_format, avFormat);
            AvError.ThrowIfError(Interop.AvUtil.av_frame_get_buffer(frame, 0), "av_frame_get_buffer");
            return new VideoEncoder(known, settings, context, frame, packet, layout);
        }
        catch
        {
            packet?.Dispose();
            frame?.Dispose();
            context.Dispose();
            throw;
        }
    }

    /// <summary>Queues one picture. <paramref name="pts"/> counts in 1/fps units (the time base is FpsDen/FpsNum).</summary>
    public void Send(in PlanarFrame frame, long pts, bool forceKeyframe = false)
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        if (_draining)
        {
            throw new InvalidOperationException("encoder was flushed; open a new one");
        }
        AvFrames.CheckLayout(frame, _layout, "VideoEncoder.Send");
        AvError.ThrowIfError(Interop.AvUtil.av_frame_make_writable(_frame), "av_frame_make_writable");
        AvFrames.CopyInto(frame, _frame);
        var f = NativeStruct.Frame(_frame);
        f.Write(AvLayout.AVFrame_pts, pts);
        // pict_type I asks the wrapper for a keyframe (an IDR with forced-idr=1); NONE lets the encoder decide.
        f.Write(AvLayout.AVFrame_pict_type, forceKeyframe || _forceNext ? Interop.AvCodec.AV_PICTURE_TYPE_I : Interop.AvCodec.AV_PICTURE_TYPE_NONE);
        _forceNext = false;
        var slot = _sentCursor++ & (TimingSlots - 1);
        _sentPts[slot] = pts;
        _sentTicks[slot] = Stopwatch.GetTimestamp();
        var rc = Interop.AvCodec.avcodec_send_frame(_context, _frame);
        if (rc == AvError.EAGAIN)
        {
            throw new InvalidOperationException("VideoEncoder.Send: the encoder is full; call TryReceive until it returns false after each Send");
        }
        AvError.ThrowIfError(rc, $"avcodec_send_frame({_known.Name})");
    }

    /// <summary>Next compressed packet, if one is ready. Its data stays valid until the next call on this encoder.</summary>
    public unsafe bool TryReceive(out EncodedPacket packet)
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        Interop.AvCodec.av_packet_unref(_packet);
        var rc = Interop.AvCodec.avcodec_receive_packet(_context, _packet);
        if (rc == AvError.EAGAIN || rc == AvError.EOF)
        {
            packet = default;
            return false;
        }
        AvError.ThrowIfError(rc, $"avcodec_receive_packet({_known.Name})");
        var p = NativeStruct.Packet(_packet);
        var size = p.Read<int>(AvLayout.AVPacket_size);
        var data = new ReadOnlySpan<byte>((void*)p.Read<IntPtr>(AvLayout.AVPacket_data), size);
        var pts = p.Read<long>(AvLayout.AVPacket_pts);
        var key = (p.Read<int>(AvLayout.AVPacket_flags) & Interop.AvCodec.AV_PKT_FLAG_KEY) != 0;
        var type = key ? PictureType.I : PictureType.Unknown;
        var qp = -1.0;
        nuint statsSize;
        var stats = Interop.AvCodec.av_packet_get_side_data(_packet, Interop.AvCodec.AV_PKT_DATA_QUALITY_STATS, &statsSize);
        if (stats != null && statsSize >= 5)
        {
            // Layout of AV_PKT_DATA_QUALITY_STATS: uint32 quality (qp * FF_QP2LAMBDA), uint8 pict_type, ...
            qp = *(uint*)stats / (double)Interop.AvCodec.FF_QP2LAMBDA;
            var sideType = AvFrames.PictureTypeOf(stats[4]);
            type = sideType == PictureType.Unknown ? type : sideType;
        }
        packet = new EncodedPacket(data, pts, p.Read<long>(AvLayout.AVPacket_dts), key, new FrameStats(size, type, qp, EncodeMs(pts)));
        return true;
    }

    /// <summary>Signals end of input; afterwards <see cref="TryReceive"/> drains what the encoder still holds.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        if (_draining)
        {
            return;
        }
        _draining = true;
        AvError.ThrowIfError(Interop.AvCodec.avcodec_send_frame_eof(_context, IntPtr.Zero), $"avcodec_send_frame({_known.Name}, EOF)");
    }

    /// <summary>
    /// Changes the target rate (and the VBV with it) from the next frame on, without re-opening. libx264 picks it
    /// up through x264_encoder_reconfig; libx265, libsvtav1 and libaom-av1 read the rate only at open, so this
    /// throws <see cref="NotSupportedException"/> for them: check <see cref="SupportsLiveBitrate"/> and re-open instead.
    /// </summary>
    public void SetBitrate(long bps)
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bps);
        if (!SupportsLiveBitrate)
        {
            throw new NotSupportedException($"{_known.Name} cannot change its bitrate while open (libavcodec 59 reads it only at open); open a new encoder");
        }
        var ctx = _context.DangerousGetHandle();
        EncoderOptions.SetInt(ctx, "maxrate", bps);
        EncoderOptions.SetInt(ctx, "bufsize", EncoderOptions.VbvBits(bps, Settings.VbvSeconds));
        EncoderOptions.SetInt(ctx, "b", bps);
        Settings = Settings with { BitrateBps = bps };
    }

    /// <summary>Makes the next sent frame a keyframe (IDR).</summary>
    public void ForceKeyframe() => _forceNext = true;

    private double EncodeMs(long pts)
    {
        for (var i = 1; i <= TimingSlots; i++)
        {
            var slot = (_sentCursor - i) & (TimingSlots - 1);
            if (_sentPts[slot] == pts)
            {
                return Stopwatch.GetElapsedTime(_sentTicks[slot]).TotalMilliseconds;
            }
        }
        return -1;
    }

    private static void Validate(EncoderSettings s)
    {
        if (s.Width <= 0 || s.Height <= 0 || s.Width > 16384 || s.Height > 16384)
        {
            throw new UserFacingException($"encoder frame size must be 1..16384 each way: {s.Width}x{s.Height}");
        }
        if (s.Format == PixelFormat.None || !PixelFormats.All.Contains(s.Format))
        {
            throw new UserFacingException($"encoder pixel format {s.Format} is not one we carry; supported: {string.Join(", ", PixelFormats.All.Select(f => f.FfmpegName()))}");
        }
        if (s.FpsNum <= 0 || s.FpsDen <= 0)
        {
            throw new UserFacingException($"encoder frame rate must be positive: {s.FpsNum}/{s.FpsDen}");
        }
        if (s.BitrateBps < 0)
        {
            throw new UserFacingException($"encoder bitrate must be >= 0: {s.BitrateBps}");
        }
    }

    private static KnownEncoder Resolve(EncoderSettings s)
    {
        var available = EncoderCatalog.Available();
        if (string.Equals(s.Codec, "auto", StringComparison.OrdinalIgnoreCase))
        {
            var pick = available.FirstOrDefault(e => e.PixelFormats.Contains(s.Format))
                ?? throw new UserFacingException($"no encoder here takes pixel format {s.Format.FfmpegName()}; available: {EncoderCatalog.Summary()}");
            return KnownEncoder.Find(pick.Name)!;
        }
        var known = KnownEncoder.Find(s.Codec);
        var info = available.FirstOrDefault(e => string.Equals(e.Name, s.Codec, StringComparison.OrdinalIgnoreCase));
        if (known is null || info is null)
        {
            throw new UserFacingException($"unknown or unavailable encoder '{s.Codec}'; available here: auto, {EncoderCatalog.Summary()}");
        }
        if (!info.PixelFormats.Contains(s.Format))
        {
            throw new UserFacingException($"{info.Name} cannot encode pixel format {s.Format.FfmpegName()}; it takes: {string.Join(", ", info.PixelFormats.Select(f => f.FfmpegName()))}");
        }
        return known;
    }

    public void Dispose()
    {
        _packet.Dispose();
        _frame.Dispose();
        _context.Dispose();
    }
}
