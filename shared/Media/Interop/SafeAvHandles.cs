using System.Runtime.InteropServices;

namespace Aqs.Shared.Media;

/// <summary>An AVCodecContext* (encoder or decoder); freed with avcodec_free_context.</summary>
internal sealed class SafeAvCodecContextHandle : SafeHandle
{
    public SafeAvCodecContextHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        Interop.AvCodec.avcodec_free_context(ref handle);
        return true;
    }
}

/// <summary>An AVFrame*; freed (with its buffer references) by av_frame_free.</summary>
internal sealed class SafeAvFrameHandle : SafeHandle
{
    public SafeAvFrameHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        Interop.AvUtil.av_frame_free(ref handle);
        return true;
    }
}

/// <summary>An AVPacket*; freed (with its buffer reference) by av_packet_free.</summary>
internal sealed class SafeAvPacketHandle : SafeHandle
{
    public SafeAvPacketHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        Interop.AvCodec.av_packet_free(ref handle);
        return true;
    }
}

/// <summary>An AVFormatContext* opened by avformat_open_input; closed by avformat_close_input.</summary>
internal sealed class SafeAvInputContextHandle : SafeHandle
{
    public SafeAvInputContextHandle(IntPtr context) : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(context);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        Interop.AvFormat.avformat_close_input(ref handle);
        return true;
    }
}

/// <summary>
/// An output AVFormatContext* from avformat_alloc_output_context2. Release closes its AVIOContext (pb) when one
/// was opened, then frees the context: the trailer must have been written before (MediaFileWriter.Dispose does).
/// </summary>
internal sealed unsafe class SafeAvOutputContextHandle : SafeHandle
{
    public SafeAvOutputContextHandle(IntPtr context) : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(context);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        var pb = (IntPtr*)((byte*)handle + AvLayout.AVFormatContext_pb);
        if (*pb != IntPtr.Zero)
        {
            Interop.AvFormat.avio_closep(pb);
        }
        Interop.AvFormat.avformat_free_context(handle);
        return true;
    }
}

/// <summary>A SwsContext*; freed by sws_freeContext.</summary>
internal sealed class SafeSwsContextHandle : SafeHandle
{
    public SafeSwsContextHandle() : base(IntPtr.Zero, ownsHandle: true) { }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        Interop.SwScale.sws_freeContext(handle);
        return true;
    }
}
