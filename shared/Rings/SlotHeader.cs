using System.Runtime.InteropServices;
using Aqs.Shared.Frames;

namespace Aqs.Shared.Rings;

/// <summary>
/// The fixed 256-byte header at the start of every slot, read and written in place through
/// <see cref="FrameSlot.Header"/>. Mutable struct on purpose: it is only ever used by ref over
/// the mapped file, never copied.
/// </summary>
/// <remarks>
/// <see cref="Sequence"/> belongs to the ring (the seqlock word): the writer sets it on claim and
/// publish, and readers check it; do not write it. The claim clears every other field to zero.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = RingDescriptor.SlotHeaderLength)]
public struct SlotHeader
{
    /// <summary>Ring sequence of the frame when published; <c>-(seq+1)</c> while the writer fills it.</summary>
    [FieldOffset(0)] public long Sequence;
    [FieldOffset(8)] public long FrameId;
    /// <summary>When the frame was captured, <see cref="Timing.MonotonicClock.NowNs"/>.</summary>
    [FieldOffset(16)] public long CaptureTimeNs;
    [FieldOffset(24)] public long PtsNs;
    [FieldOffset(32)] public long DurationNs;
    [FieldOffset(40)] public int Width;
    [FieldOffset(44)] public int Height;
    [FieldOffset(48)] public PixelFormat Format;
    [FieldOffset(49)] public byte BitDepth;
    [FieldOffset(50)] public VideoCodec Codec;
    /// <summary>FFmpeg AVColorRange value.</summary>
    [FieldOffset(51)] public byte ColorRange;
    [FieldOffset(52)] public SlotFlags Flags;
    /// <summary>Bytes of payload that are meaningful (at most the ring's slot capacity).</summary>
    [FieldOffset(56)] public int PayloadLength;
    [FieldOffset(60)] public int PlaneOffset0;
    [FieldOffset(64)] public int PlaneOffset1;
    [FieldOffset(68)] public int PlaneOffset2;
    [FieldOffset(72)] public int PlaneStride0;
    [FieldOffset(76)] public int PlaneStride1;
    [FieldOffset(80)] public int PlaneStride2;
    /// <summary>FFmpeg AVColorPrimaries value.</summary>
    [FieldOffset(84)] public byte ColorPrimaries;
    /// <summary>FFmpeg AVColorTransferCharacteristic value.</summary>
    [FieldOffset(85)] public byte ColorTransfer;
    /// <summary>FFmpeg AVColorSpace (matrix coefficients) value.</summary>
    [FieldOffset(86)] public byte ColorMatrix;
    /// <summary>Picture type of an encoded frame.</summary>
    [FieldOffset(88)] public PictureType FrameType;
    [FieldOffset(92)] public int Qp;
    /// <summary>Free for each ring's own use (encoder stats, arrival time, ...).</summary>
    [FieldOffset(96)] public long User0;
    [FieldOffset(104)] public long User1;
    [FieldOffset(112)] public long User2;
    [FieldOffset(120)] public long User3;
    // 128..255 reserved (zero)

    /// <summary>Sets geometry, format, bit depth and the plane offsets and strides of a tightly packed <paramref name="layout"/>.</summary>
    public void SetLayout(FrameLayout layout)
    {
        Width = layout.Width;
        Height = layout.Height;
        Format = layout.Format;
        BitDepth = (byte)layout.Format.BitDepth();
        PlaneOffset0 = layout.Offset(0);
        PlaneStride0 = layout.Stride(0);
        if (layout.PlaneCount > 1)
        {
            PlaneOffset1 = layout.Offset(1);
            PlaneOffset2 = layout.Offset(2);
            PlaneStride1 = layout.Stride(1);
            PlaneStride2 = layout.Stride(2);
        }
    }

    /// <summary>The frame geometry the header names (throws if it names none).</summary>
    public readonly FrameLayout Layout => new(Width, Height, Format);
}
