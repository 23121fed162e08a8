using Aqs.Shared.Compression;
using Aqs.Shared.Frames;
using Aqs.Shared.Rings;

namespace Aqs.Kernel.Display.References;

/// <summary>
/// One source frame kept for measurement: the ref slot's payload as it came (raw, or losslessly compressed by
/// kernel-preprocess), its layout and capture time. Readers hold it with <see cref="ReferenceStore.TryAcquire"/>
/// and give it back with <see cref="ReferenceStore.Release"/>; the store reuses the buffer once nobody holds it.
/// </summary>
public sealed class ReferenceFrame
{
    internal ReferenceFrame(int capacity) => Payload = new byte[capacity];

    internal byte[] Payload { get; private set; }
    public long FrameId { get; internal set; }
    public long CaptureNs { get; internal set; }
    public FrameLayout Layout { get; internal set; }
    public ColorDescription Color { get; internal set; }
    /// <summary>The ref slot's header as it came (it says whether and how the payload is compressed).</summary>
    internal SlotHeader Header;
    internal int Readers { get; set; }
    internal bool Evicted { get; set; }

    internal void EnsureCapacity(int bytes)
    {
        if (Payload.Length < bytes)
        {
            Payload = new byte[bytes];
        }
    }

    /// <summary>The frame's packed planes, expanded through <paramref name="expander"/> when stored compressed.</summary>
    public ReadOnlySpan<byte> Packed(RefFrameExpander expander)
    {
        return expander.Packed(Header, Payload.AsSpan(0, Header.PayloadLength), Layout.FrameSize);
    }
}
