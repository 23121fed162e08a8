using Aqs.Shared.Cli;
using Aqs.Shared.Frames;

namespace Aqs.Shared.Media;

/// <summary>
/// One libavcodec decoder session for H.264, HEVC or AV1, tuned for latency: slice threads only (frame threads
/// would hold a frame back per thread). Bad input never throws: a packet libavcodec refuses returns false and
/// counts in <see cref="CorruptPackets"/>, a frame it flags as concealed counts in <see cref="DecodeErrors"/>, and
/// decoding goes on (clean again from the next keyframe). Not thread-safe. No managed allocation per packet.
/// </summary>
public sealed class VideoDecoder : IDisposable
{
    private readonly SafeAvCodecContextHandle _context;
    private readonly SafeAvFrameHandle _frame;
    private readonly SafeAvPacketHandle _packet;
    private long _corruptPackets;
    private long _decodeErrors;
    private long _framesDecoded;

    internal VideoDecoder(VideoCodec codec, string decoderName, SafeAvCodecContextHandle context)
    {
        Codec = codec;
        DecoderName = decoderName;
        _context = context;
        _frame = Interop.AvUtil.av_frame_alloc();
        _packet = Interop.AvCodec.av_packet_alloc();
        if (_frame.IsInvalid || _packet.IsInvalid)
        {
            Dispose();
            throw new AvException("av_frame_alloc/av_packet_alloc", AvError.ENOMEM, "out of memory");
        }
    }

    public VideoCodec Codec { get; }

    /// <summary>The libavcodec decoder in use (h264, hevc, libdav1d...).</summary>
    public string DecoderName { get; }

    /// <summary>Packets libavcodec refused (avcodec_send_packet error).</summary>
    public long CorruptPackets => _corruptPackets;

    /// <summary>Frames that came out damaged (error-concealed) or could not be returned.</summary>
    public long DecodeErrors => _decodeErrors;

    public long FramesDecoded => _framesDecoded;

    /// <summary>Software decoders tried in order: for AV1 libdav1d first (libavcodec's own av1 decoder needs a hwaccel).</summary>
    private static string[] DecoderNames(VideoCodec codec) => codec switch
    {
        VideoCodec.H264 => ["h264"],
        VideoCodec.Hevc => ["hevc"],
        VideoCodec.Av1 => ["libdav1d", "libaom-av1", "av1"],
        _ => [],
    };

    public static VideoDecoder Open(VideoCodec codec, int threads = 1)
    {
        AvLibraries.EnsureSupported();
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        foreach (var name in DecoderNames(codec))
        {
            var decoder = Interop.AvCodec.avcodec_find_decoder_by_name(name);
            if (decoder == IntPtr.Zero)
            {
                continue;
            }
            var context = Interop.AvCodec.avcodec_alloc_context3(decoder);
            try
            {
                ConfigureLowLatency(context, threads);
                AvError.ThrowIfError(Interop.AvCodec.avcodec_open2(context, decoder, IntPtr.Zero), $"avcodec_open2({name})");
                return new VideoDecoder(codec, name, context);
            }
            catch
            {
                context.Dispose();
                throw;
            }
        }
        throw new UserFacingException($"no decoder for codec {codec}; supported: H264, Hevc, Av1 (needs libavcodec's h264/hevc and libdav1d or libaom-av1)");
    }

    internal static void ConfigureLowLatency(SafeAvCodecContextHandle context, int threads)
    {
        var ctx = context.DangerousGetHandle();
        EncoderOptions.SetInt(ctx, "threads", threads);
        EncoderOptions.Set(ctx, "thread_type", "slice");
        // libdav1d keeps up to one frame per thread in flight unless told otherwise; absent elsewhere.
        _ = Interop.AvUtil.av_opt_set_int(ctx, "max_frame_delay", 1, Interop.AvUtil.AV_OPT_SEARCH_CHILDREN);
    }

    /// <summary>
    /// Feeds one compressed frame (copied by libavcodec, so <paramref name="packet"/> may be reused at once).
    /// Returns false, counting <see cref="CorruptPackets"/>, when libavcodec refuses it.
    /// </summary>
    public unsafe bool Send(ReadOnlySpan<byte> packet, long pts)
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        if (packet.IsEmpty)
        {
            _corruptPackets++; // an empty packet would mean "end of stream" to libavcodec
            return false;
        }
        int rc;
        var p = NativeStruct.Packet(_packet);
        fixed (byte* data = packet)
        {
            // A packet without buf is not reference-counted: avcodec_send_packet copies it (with padding).
            p.Write(AvLayout.AVPacket_data, (IntPtr)data);
            p.Write(AvLayout.AVPacket_size, packet.Length);
            p.Write(AvLayout.AVPacket_pts, pts);
            p.Write(AvLayout.AVPacket_dts, pts);
            p.Write(AvLayout.AVPacket_flags, 0);
            rc = Interop.AvCodec.avcodec_send_packet(_context, _packet);
            p.Write(AvLayout.AVPacket_data, IntPtr.Zero);
            p.Write(AvLayout.AVPacket_size, 0);
        }
        if (rc == AvError.EAGAIN)
        {
            throw new InvalidOperationException("VideoDecoder.Send: the decoder is full; call TryReceive until it returns false after each Send");
        }
        if (rc < 0)
        {
            _corruptPackets++;
            return false;
        }
        return true;
    }

    /// <summary>End of stream: afterwards <see cref="TryReceive"/> returns the frames still held.</summary>
    public void Drain()
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        _ = Interop.AvCodec.avcodec_send_packet_eof(_context, IntPtr.Zero);
    }

    /// <summary>Next decoded picture, if any; its view stays valid until the next call on this decoder.</summary>
    public bool TryReceive(out DecodedFrame frame)
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        while (true)
        {
            var rc = Interop.AvCodec.avcodec_receive_frame(_context, _frame);
            if (rc == AvError.EAGAIN || rc == AvError.EOF)
            {
                frame = default;
                return false;
            }
            if (rc < 0)
            {
                _decodeErrors++;
                continue;
            }
            var f = NativeStruct.Frame(_frame);
            if (!AvPixelFormats.TryFromAvFormat(f.Read<int>(AvLayout.AVFrame_format), out var format))
            {
                _decodeErrors++; // a format we do not carry (e.g. 4:4:0): skip rather than throw on stream data
                continue;
            }
            if ((f.Read<int>(AvLayout.AVFrame_flags) & Interop.AvCodec.AV_FRAME_FLAG_CORRUPT) != 0
                || f.Read<int>(AvLayout.AVFrame_decode_error_flags) != 0)
            {
                _decodeErrors++;
            }
            _framesDecoded++;
            var layout = new FrameLayout(f.Read<int>(AvLayout.AVFrame_width), f.Read<int>(AvLayout.AVFrame_height), format);
            var pts = f.Read<long>(AvLayout.AVFrame_best_effort_timestamp);
            var color = AvFrames.Color(f, Codec);
            frame = new DecodedFrame(AvFrames.View(_frame, layout), pts, -1,
                f.Read<int>(AvLayout.AVFrame_key_frame) != 0, AvFrames.PictureTypeOf(f.Read<int>(AvLayout.AVFrame_pict_type)), color);
            return true;
        }
    }

    public void Dispose()
    {
        _packet?.Dispose();
        _frame?.Dispose();
        _context.Dispose();
    }
}
