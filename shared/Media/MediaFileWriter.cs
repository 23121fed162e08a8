using Aqs.Shared.Cli;
using Aqs.Shared.Frames;

namespace Aqs.Shared.Media;

/// <summary>
/// Writes one encoded video stream to a file with libavformat: Matroska (.mkv), MP4 (.mp4), or a raw
/// elementary stream (.h264/.264, .hevc/.265, .ivf, .obu). Timestamps are given in frames (1/fps units,
/// the encoder's time base). MP4 and MKV want the codec headers as extradata (open the encoder with
/// <see cref="EncoderSettings.GlobalHeader"/>); for H.264/HEVC without it the MP4 muxer takes them from the
/// first keyframe. AV1 in MKV/MP4 without extradata (libaom sets none at open) waits for the first packet
/// and takes its sequence header OBU as the headers: Matroska refuses AV1 packets without them.
/// Dispose writes the trailer. No managed allocation per packet.
/// </summary>
public sealed class MediaFileWriter : IDisposable
{
    private readonly SafeAvOutputContextHandle _context;
    private readonly SafeAvPacketHandle _packet;
    private readonly Interop.AVRational _frameTimeBase;
    private readonly IntPtr _stream;
    private readonly string _format;
    private bool _headerWritten;

    public string Path { get; }
    public long PacketsWritten { get; private set; }

    private MediaFileWriter(string path, string format, SafeAvOutputContextHandle context, SafeAvPacketHandle packet, IntPtr stream, Interop.AVRational frameTimeBase)
    {
        Path = path;
        _format = format;
        _context = context;
        _packet = packet;
        _stream = stream;
        _frameTimeBase = frameTimeBase;
    }

    private static readonly (string Extension, string Format)[] Containers =
    [
        (".mkv", "matroska"), (".mp4", "mp4"), (".h264", "h264"), (".264", "h264"),
        (".hevc", "hevc"), (".265", "hevc"), (".ivf", "ivf"), (".obu", "obu"),
    ];

    public static unsafe MediaFileWriter Create(string path, VideoCodec codec, int width, int height, int fpsNum, int fpsDen, ReadOnlySpan<byte> extradata = default)
    {
        AvLibraries.EnsureSupported();
        var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        var format = Array.Find(Containers, c => c.Extension == extension).Format
            ?? throw new UserFacingException($"cannot write '{path}': unknown file type '{extension}'; supported: {string.Join(" ", Containers.Select(c => c.Extension))}");
        var codecId = OutputStreams.CodecIdOf(codec, $"cannot write '{path}'");
        if (width <= 0 || height <= 0 || fpsNum <= 0 || fpsDen <= 0)
        {
            throw new UserFacingException($"cannot write '{path}': size {width}x{height} and rate {fpsNum}/{fpsDen} must be positive");
        }
        AvError.ThrowIfError(Interop.AvFormat.avformat_alloc_output_context2(out var raw, IntPtr.Zero, format, path), $"avformat_alloc_output_context2({format})");
        var context = new SafeAvOutputContextHandle(raw);
        SafeAvPacketHandle? packet = null;
        try
        {
            var frameTimeBase = new Interop.AVRational(fpsDen, fpsNum);
            var stream = OutputStreams.AddVideo(context, codecId, width, height, frameTimeBase, new Interop.AVRational(fpsNum, fpsDen), extradata);
            var ctx = new NativeStruct(context.DangerousGetHandle(), AvLayout.AVFormatContext_size_of);
            var rc = Interop.AvFormat.avio_open((IntPtr*)ctx.FieldAddress(AvLayout.AVFormatContext_pb, sizeof(IntPtr)), path, Interop.AvFormat.AVIO_FLAG_WRITE);
            if (rc < 0)
            {
                throw new UserFacingException($"cannot write '{path}': {AvError.Describe(rc)}");
            }
            packet = Interop.AvCodec.av_packet_alloc();
            var writer = new MediaFileWriter(path, format, context, packet, stream, frameTimeBase);
            if (!(codec == VideoCodec.Av1 && extradata.IsEmpty && format is "matroska" or "mp4"))
            {
                writer.WriteHeader();
            }
            return writer;
        }
        catch
        {
            packet?.Dispose();
            context.Dispose();
            throw;
        }
    }

    private void WriteHeader()
    {
        AvError.ThrowIfError(Interop.AvFormat.avformat_write_header(_context, IntPtr.Zero), $"avformat_write_header({_format})");
        _headerWritten = true;
    }

    public void Write(in EncodedPacket packet) => Write(packet.Data, packet.Pts, packet.Dts, packet.IsKeyframe);

    /// <summary>Writes one packet; <paramref name="pts"/> and <paramref name="dts"/> count frames (1/fps).</summary>
    public void Write(ReadOnlySpan<byte> data, long pts, long dts, bool key)
    {
        ObjectDisposedException.ThrowIf(_context.IsClosed, this);
        if (!_headerWritten)
        {
            // Deferred AV1 header (see the class remarks): the first packet is a keyframe carrying a sequence header.
            var sequenceHeader = Av1Obus.SequenceHeader(data);
            if (sequenceHeader.IsEmpty)
            {
                throw new UserFacingException($"cannot write '{Path}': the first AV1 packet has no sequence header, and {_format} needs one");
            }
            OutputStreams.SetExtradata(_stream, sequenceHeader);
            WriteHeader();
        }
        // The muxer may have changed the stream's time base in write_header (Matroska uses 1/1000).
        AvError.ThrowIfError(OutputStreams.Write(_context, _packet, _stream, data, pts, dts, 1, key, _frameTimeBase), "av_interleaved_write_frame");
        PacketsWritten++;
    }

    public void Dispose() => AvError.ThrowIfError(OutputStreams.Close(_context, _packet, ref _headerWritten), "av_write_trailer");
}
