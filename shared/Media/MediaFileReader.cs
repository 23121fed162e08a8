using Aqs.Shared.Cli;
using Aqs.Shared.Frames;

namespace Aqs.Shared.Media;

/// <summary>
/// Reads the best video stream of any file or URL libavformat opens and decodes it, one frame at a time, with
/// the stream's true timestamps. Frames in a pixel format we do not carry (nv12, rgb24, yuv410p...) are converted
/// with libswscale to the nearest of ours (same chroma subsampling where we have it, same bit depth up to 12);
/// <see cref="Layout"/> says which. The decoded view is valid until the next call. Not thread-safe.
/// </summary>
public sealed class MediaFileReader : IDisposable
{
    private readonly SafeAvInputContextHandle _input;
    private readonly SafeAvCodecContextHandle _decoder;
    private readonly SafeAvFrameHandle _frame;
    private readonly SafeAvPacketHandle _packet;
    private readonly int _streamIndex;
    private readonly Interop.AVRational _timeBase;
    private readonly long _startTime;
    private VideoScaler? _converter;
    private (int Format, int Width, int Height) _converterSource = (-1, 0, 0);
    private bool _inputEnded;

    public string Path { get; }
    public FrameLayout Layout { get; }
    /// <summary>Average frame rate the container states (0 when unknown).</summary>
    public double Fps { get; }
    public VideoCodec Codec { get; }
    /// <summary>libavcodec's name of the stream's codec (h264, vp9, prores...).</summary>
    public string CodecName { get; }
    public long FramesRead { get; private set; }
    public long CorruptPackets { get; private set; }

    private MediaFileReader(string path, SafeAvInputContextHandle input, SafeAvCodecContextHandle decoder, int streamIndex,
        Interop.AVRational timeBase, long startTime, FrameLayout layout, double fps, VideoCodec codec, string codecName)
    {
        Path = path;
        _input = input;
        _decoder = decoder;
        _streamIndex = streamIndex;
        _timeBase = timeBase;
        _startTime = startTime;
        Layout = layout;
        Fps = fps;
        Codec = codec;
        CodecName = codecName;
        _frame = Interop.AvUtil.av_frame_alloc();
        _packet = Interop.AvCodec.av_packet_alloc();
    }

    public static MediaFileReader Open(string pathOrUrl) => Open(pathOrUrl, null, null);

    /// <summary>
    /// Opens <paramref name="pathOrUrl"/> with a forced input format when <paramref name="formatName"/> is given
    /// (a capture device: <c>Open(":99", "x11grab", {video_size=640x480, framerate=30})</c>, <c>Open("/dev/video0", "v4l2", ...)</c>)
    /// and demuxer/device <paramref name="options"/>; an option the format does not know is a one-line error.
    /// A live network input passes an <paramref name="interrupt"/> that ends blocking waits (see <see cref="IoInterrupt"/>),
    /// and <paramref name="layout"/> when frames must keep the geometry of an earlier connection (they are scaled to it).
    /// </summary>
    public static unsafe MediaFileReader Open(string pathOrUrl, string? formatName, IReadOnlyDictionary<string, string>? options,
        IoInterrupt? interrupt = null, FrameLayout? layout = null)
    {
        AvLibraries.EnsureSupported();
        var input = MediaInput.Open(pathOrUrl, formatName, options, interrupt);
        SafeAvCodecContextHandle? decoder = null;
        try
        {
            var rc = Interop.AvFormat.avformat_find_stream_info(input, IntPtr.Zero);
            if (rc < 0)
            {
                throw new UserFacingException(interrupt is null
                    ? $"cannot read '{pathOrUrl}': {AvError.Describe(rc)}"
                    : $"cannot read {StreamingSetup.Redact(pathOrUrl)}: {StreamingSetup.Reason(pathOrUrl, rc, interrupt)}");
            }
            var index = Interop.AvFormat.av_find_best_stream(input, Interop.AvCodec.AVMEDIA_TYPE_VIDEO, -1, -1, IntPtr.Zero, 0);
            if (index < 0)
            {
                throw new UserFacingException($"'{pathOrUrl}' has no video stream");
            }
            var ctx = new NativeStruct(input.DangerousGetHandle(), AvLayout.AVFormatContext_size_of);
            var streams = (IntPtr*)ctx.Read<IntPtr>(AvLayout.AVFormatContext_streams);
            if (index >= ctx.Read<int>(AvLayout.AVFormatContext_nb_streams))
            {
                throw new InvalidOperationException($"stream index {index} out of range");
            }
            var st = new NativeStruct(streams[index], AvLayout.AVStream_size_of);
            var codecpar = st.Read<IntPtr>(AvLayout.AVStream_codecpar);
            var par = new NativeStruct(codecpar, AvLayout.AVCodecParameters_size_of);
            var codecId = par.Read<int>(AvLayout.AVCodecParameters_codec_id);
            var codec = FindDecoder(codecId, out var codecName);
            if (codec == IntPtr.Zero)
            {
                throw new UserFacingException($"'{pathOrUrl}': this libavcodec has no decoder for its video codec (id {codecId})");
            }
            decoder = Interop.AvCodec.avcodec_alloc_context3(codec);
            AvError.ThrowIfError(Interop.AvCodec.avcodec_parameters_to_context(decoder, codecpar), "avcodec_parameters_to_context");
            var timeBase = st.Read<Interop.AVRational>(AvLayout.AVStream_time_base);
            AvError.ThrowIfError(Interop.AvUtil.av_opt_set_q(decoder.DangerousGetHandle(), "pkt_timebase", timeBase, 0), "av_opt_set_q(pkt_timebase)");
            EncoderOptions.SetInt(decoder.DangerousGetHandle(), "threads", 0);
            AvError.ThrowIfError(Interop.AvCodec.avcodec_open2(decoder, codec, IntPtr.Zero), $"avcodec_open2({codecName})");
            var width = par.Read<int>(AvLayout.AVCodecParameters_width);
            var height = par.Read<int>(AvLayout.AVCodecParameters_height);
            if (width <= 0 || height <= 0)
            {
                throw new UserFacingException($"'{pathOrUrl}': video stream has no frame size");
            }
            var frameLayout = layout ?? new FrameLayout(width, height, Nearest(par.Read<int>(AvLayout.AVCodecParameters_format)));
            var rate = st.Read<Interop.AVRational>(AvLayout.AVStream_avg_frame_rate);
            if (rate.num <= 0 || rate.den <= 0)
            {
                rate = st.Read<Interop.AVRational>(AvLayout.AVStream_r_frame_rate);
            }
            var fps = rate.num > 0 && rate.den > 0 ? rate.num / (double)rate.den : 0;
            var startTime = st.Read<long>(AvLayout.AVStream_start_time);
            var ourCodec = codecId switch
            {
                Interop.AvCodec.AV_CODEC_ID_H264 => VideoCodec.H264,
                Interop.AvCodec.AV_CODEC_ID_HEVC => VideoCodec.Hevc,
                Interop.AvCodec.AV_CODEC_ID_AV1 => VideoCodec.Av1,
                _ => VideoCodec.None,
            };
            return new MediaFileReader(pathOrUrl, input, decoder, index, timeBase,
                startTime == Interop.AvUtil.AV_NOPTS_VALUE ? 0 : startTime, frameLayout, fps, ourCodec, codecName);
        }
        catch
        {
            decoder?.Dispose();
            input.Dispose();
            throw;
        }
    }

    private static unsafe IntPtr FindDecoder(int codecId, out string name)
    {
        var codec = codecId == Interop.AvCodec.AV_CODEC_ID_AV1 ? Interop.AvCodec.avcodec_find_decoder_by_name("libdav1d") : IntPtr.Zero;
        if (codec == IntPtr.Zero)
        {
            codec = Interop.AvCodec.avcodec_find_decoder(codecId);
        }
        name = codec == IntPtr.Zero ? "" : new string((sbyte*)new NativeStruct(codec, AvLayout.AVCodec_size_of).Read<IntPtr>(AvLayout.AVCodec_name));
        return codec;
    }

    /// <summary>Ours when it is one of ours; else the nearest by chroma subsampling and bit depth (from FFmpeg's pixel format descriptor).</summary>
    internal static PixelFormat Nearest(int avFormat)
    {
        if (AvPixelFormats.TryFromAvFormat(avFormat, out var ours))
        {
            return ours;
        }
        var descriptor = avFormat < 0 ? IntPtr.Zero : Interop.AvUtil.av_pix_fmt_desc_get(avFormat);
        if (descriptor == IntPtr.Zero)
        {
            return PixelFormat.Yuv420p;
        }
        var d = new NativeStruct(descriptor, AvLayout.AVPixFmtDescriptor_size_of);
        var bits = d.Read<int>(AvLayout.AVPixFmtDescriptor_comp0_depth);
        var depth = bits <= 8 ? 8 : bits <= 10 ? 10 : 12;
        var components = d.Read<byte>(AvLayout.AVPixFmtDescriptor_nb_components);
        var rgb = (d.Read<long>(AvLayout.AVPixFmtDescriptor_flags) & AvLayout.AV_PIX_FMT_FLAG_RGB) != 0;
        if (components <= 2 && !rgb)
        {
            return depth == 8 ? PixelFormat.Gray8 : PixelFormats.From(ChromaSubsampling.Cs444, depth);
        }
        var shiftX = d.Read<byte>(AvLayout.AVPixFmtDescriptor_log2_chroma_w);
        var shiftY = d.Read<byte>(AvLayout.AVPixFmtDescriptor_log2_chroma_h);
        var chroma = rgb || shiftX == 0 ? ChromaSubsampling.Cs444 : shiftY == 0 ? ChromaSubsampling.Cs422 : ChromaSubsampling.Cs420;
        return PixelFormats.From(chroma, depth);
    }

    /// <summary>Next frame in presentation order; false at the end of the file.</summary>
    public unsafe bool TryReadFrame(out DecodedFrame frame)
    {
        ObjectDisposedException.ThrowIf(_input.IsClosed, this);
        while (true)
        {
            var rc = Interop.AvCodec.avcodec_receive_frame(_decoder, _frame);
            if (rc >= 0)
            {
                frame = Present();
                FramesRead++;
                return true;
            }
            if (rc == AvError.EOF)
            {
                frame = default;
                return false;
            }
            if (rc != AvError.EAGAIN)
            {
                CorruptPackets++;
                continue;
            }
            if (_inputEnded)
            {
                frame = default;
                return false;
            }
            rc = Interop.AvFormat.av_read_frame(_input, _packet);
            if (rc < 0)
            {
                _inputEnded = true;
                _ = Interop.AvCodec.avcodec_send_packet_eof(_decoder, IntPtr.Zero);
                continue;
            }
            if (NativeStruct.Packet(_packet).Read<int>(AvLayout.AVPacket_stream_index) == _streamIndex
                && Interop.AvCodec.avcodec_send_packet(_decoder, _packet) < 0)
            {
                CorruptPackets++;
            }
            Interop.AvCodec.av_packet_unref(_packet);
        }
    }

    private unsafe DecodedFrame Present()
    {
        var f = NativeStruct.Frame(_frame);
        var pts = f.Read<long>(AvLayout.AVFrame_best_effort_timestamp);
        var ptsNs = pts == Interop.AvUtil.AV_NOPTS_VALUE ? -1 : Interop.AvUtil.av_rescale_q(pts - _startTime, _timeBase, new Interop.AVRational(1, 1_000_000_000));
        var key = f.Read<int>(AvLayout.AVFrame_key_frame) != 0;
        var type = AvFrames.PictureTypeOf(f.Read<int>(AvLayout.AVFrame_pict_type));
        var avFormat = f.Read<int>(AvLayout.AVFrame_format);
        var color = AvFrames.Color(f, Codec);
        var width = f.Read<int>(AvLayout.AVFrame_width);
        var height = f.Read<int>(AvLayout.AVFrame_height);
        if (width == Layout.Width && height == Layout.Height && AvPixelFormats.TryFromAvFormat(avFormat, out var ours) && ours == Layout.Format)
        {
            return new DecodedFrame(AvFrames.View(_frame, Layout), pts, ptsNs, key, type, color);
        }
        // Convert to Layout; the scaler and buffer are made once (again only if the stream changes format mid-way).
        if (_converter is null || _converterSource != (avFormat, width, height))
        {
            _converter?.Dispose();
            _converter = new VideoScaler(width, height, avFormat, Layout, ScaleQuality.Bicubic);
            _converterSource = (avFormat, width, height);
        }
        var data = (byte**)f.FieldAddress(AvLayout.AVFrame_data, 8 * sizeof(IntPtr));
        var linesize = (int*)f.FieldAddress(AvLayout.AVFrame_linesize, 8 * sizeof(int));
        // libswscale turns RGB into limited-range BT.601 YUV by default: say so instead of passing on "RGB".
        var converted = color.Matrix == 0 ? color with { Range = ColorDescription.RangeLimited, Matrix = 6 } : color;
        return new DecodedFrame(_converter.ScaleToStaging(data, linesize, height), pts, ptsNs, key, type, converted);
    }

    public void Dispose()
    {
        _converter?.Dispose();
        _packet?.Dispose();
        _frame?.Dispose();
        _decoder.Dispose();
        _input.Dispose();
    }
}
