using Aqs.Shared.Cli;
using Aqs.Shared.Frames;

namespace Aqs.Shared.Media;

/// <summary>The one way our muxers (files, live protocols, RTP) describe their single video stream to libavformat.</summary>
internal static class OutputStreams
{
    public static int CodecIdOf(VideoCodec codec, string what) => codec switch
    {
        VideoCodec.H264 => Interop.AvCodec.AV_CODEC_ID_H264,
        VideoCodec.Hevc => Interop.AvCodec.AV_CODEC_ID_HEVC,
        VideoCodec.Av1 => Interop.AvCodec.AV_CODEC_ID_AV1,
        _ => throw new UserFacingException($"{what}: cannot carry codec {codec}; supported: H264, Hevc, Av1"),
    };

    /// <summary>
    /// Adds the video stream: codec, size, the time base asked for (a muxer may change it in write_header) and the
    /// codec headers as extradata when given (codecpar owns a padded av_malloc'd copy, freed with the context).
    /// </summary>
    public static unsafe IntPtr AddVideo(SafeAvOutputContextHandle context, int codecId, int width, int height,
        Interop.AVRational timeBase, Interop.AVRational frameRate, ReadOnlySpan<byte> extradata)
    {
        var stream = Interop.AvFormat.avformat_new_stream(context, IntPtr.Zero);
        if (stream == IntPtr.Zero)
        {
            throw new AvException("avformat_new_stream", AvError.ENOMEM, "out of memory");
        }
        var st = new NativeStruct(stream, AvLayout.AVStream_size_of);
        st.Write(AvLayout.AVStream_time_base, timeBase);
        if (frameRate.num > 0 && frameRate.den > 0)
        {
            st.Write(AvLayout.AVStream_avg_frame_rate, frameRate);
        }
        var par = new NativeStruct(st.Read<IntPtr>(AvLayout.AVStream_codecpar), AvLayout.AVCodecParameters_size_of);
        par.Write(AvLayout.AVCodecParameters_codec_type, Interop.AvCodec.AVMEDIA_TYPE_VIDEO);
        par.Write(AvLayout.AVCodecParameters_codec_id, codecId);
        par.Write(AvLayout.AVCodecParameters_width, width);
        par.Write(AvLayout.AVCodecParameters_height, height);
        SetExtradata(par, extradata);
        return stream;
    }

    /// <summary>Gives the stream's codecpar a padded av_malloc'd copy of the codec headers (freed with the context).</summary>
    public static void SetExtradata(IntPtr stream, ReadOnlySpan<byte> extradata)
    {
        var st = new NativeStruct(stream, AvLayout.AVStream_size_of);
        SetExtradata(new NativeStruct(st.Read<IntPtr>(AvLayout.AVStream_codecpar), AvLayout.AVCodecParameters_size_of), extradata);
    }

    private static unsafe void SetExtradata(NativeStruct par, ReadOnlySpan<byte> extradata)
    {
        if (extradata.IsEmpty)
        {
            return;
        }
        var copy = Interop.AvUtil.av_mallocz((nuint)(extradata.Length + Interop.AvCodec.AV_INPUT_BUFFER_PADDING_SIZE));
        if (copy == IntPtr.Zero)
        {
            throw new AvException("av_mallocz", AvError.ENOMEM, "out of memory");
        }
        extradata.CopyTo(new Span<byte>((void*)copy, extradata.Length));
        par.Write(AvLayout.AVCodecParameters_extradata, copy);
        par.Write(AvLayout.AVCodecParameters_extradata_size, extradata.Length);
    }

    /// <summary>
    /// Hands one packet (not reference-counted: the muxer copies what it keeps) to av_interleaved_write_frame, its
    /// times given in <paramref name="from"/> units and rescaled to the stream's time base as it is after write_header.
    /// </summary>
    public static unsafe int Write(SafeAvOutputContextHandle context, SafeAvPacketHandle packet, IntPtr stream,
        ReadOnlySpan<byte> data, long pts, long dts, long duration, bool key, Interop.AVRational from)
    {
        var p = NativeStruct.Packet(packet);
        var streamTimeBase = new NativeStruct(stream, AvLayout.AVStream_size_of).Read<Interop.AVRational>(AvLayout.AVStream_time_base);
        fixed (byte* bytes = data)
        {
            p.Write(AvLayout.AVPacket_data, (IntPtr)bytes);
            p.Write(AvLayout.AVPacket_size, data.Length);
            p.Write(AvLayout.AVPacket_pts, pts);
            p.Write(AvLayout.AVPacket_dts, dts);
            p.Write(AvLayout.AVPacket_duration, duration);
            p.Write(AvLayout.AVPacket_flags, key ? Interop.AvCodec.AV_PKT_FLAG_KEY : 0);
            p.Write(AvLayout.AVPacket_stream_index, 0);
            Interop.AvCodec.av_packet_rescale_ts(packet, from, streamTimeBase);
            var rc = Interop.AvFormat.av_interleaved_write_frame(context, packet);
            Interop.AvCodec.av_packet_unref(packet);
            return rc;
        }
    }

    /// <summary>
    /// Ends a muxer once: its trailer when the header went out, then <paramref name="beforeFree"/> (given the trailer's
    /// code), then the packet and the context are freed whatever happened. Returns the trailer's code (0 when none was due).
    /// </summary>
    public static int Close(SafeAvOutputContextHandle context, SafeAvPacketHandle packet, ref bool headerWritten, Action<int>? beforeFree = null)
    {
        if (context.IsClosed)
        {
            return 0;
        }
        var rc = 0;
        try
        {
            if (headerWritten)
            {
                headerWritten = false;
                rc = Interop.AvFormat.av_write_trailer(context);
            }
            beforeFree?.Invoke(rc);
        }
        finally
        {
            packet.Dispose();
            context.Dispose();
        }
        return rc;
    }

    public static readonly Interop.AVRational Nanoseconds = new(1, 1_000_000_000);
}
