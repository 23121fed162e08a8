using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Aqs.Shared.Frames;
using Aqs.Shared.Rings;

namespace Aqs.Shared.Tests.Rings;

public class SlotHeaderTests
{
    [Test]
    public void Slot_header_is_exactly_256_bytes()
    {
        Assert.That(Unsafe.SizeOf<SlotHeader>(), Is.EqualTo(RingDescriptor.SlotHeaderLength));
        Assert.That(Marshal.SizeOf<SlotHeader>(), Is.EqualTo(256));
    }

    [Test]
    public void Slot_header_fields_sit_at_their_documented_offsets()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Marshal.OffsetOf<SlotHeader>(nameof(SlotHeader.Sequence)), Is.EqualTo((nint)0));
            Assert.That(Marshal.OffsetOf<SlotHeader>(nameof(SlotHeader.PayloadLength)), Is.EqualTo((nint)56));
            Assert.That(Marshal.OffsetOf<SlotHeader>(nameof(SlotHeader.User3)), Is.EqualTo((nint)120));
        });
    }

    [Test]
    public void Set_layout_fills_geometry_and_planes_of_a_packed_frame()
    {
        var header = default(SlotHeader);
        var layout = new FrameLayout(1920, 1080, PixelFormat.Yuv420p10);
        header.SetLayout(layout);
        Assert.Multiple(() =>
        {
            Assert.That(header.Layout, Is.EqualTo(layout));
            Assert.That(header.BitDepth, Is.EqualTo(10));
            Assert.That(header.PlaneStride0, Is.EqualTo(3840));
            Assert.That(header.PlaneOffset1, Is.EqualTo(3840 * 1080));
            Assert.That(header.PlaneOffset2, Is.EqualTo(layout.Offset(2)));
        });
    }

    [Test]
    public void Consumer_blocks_fit_the_header_page_on_their_own_cache_lines()
    {
        Assert.Multiple(() =>
        {
            Assert.That(RingDescriptor.ConsumerOffset(RingDescriptor.MaxConsumerLimit - 1) + RingDescriptor.ConsumerBlockLength, Is.LessThanOrEqualTo(RingDescriptor.HeaderLength));
            Assert.That(RingDescriptor.ConsumerBlockLength % (2 * RingDescriptor.CacheLinePair), Is.EqualTo(0));
            Assert.That(RingDescriptor.WriteCursorOffset % RingDescriptor.CacheLinePair, Is.EqualTo(0));
            Assert.That(RingDescriptor.SlotSizeFor(1) % RingDescriptor.PageSize, Is.EqualTo(0));
            Assert.That(RingDescriptor.SlotSizeFor(4096 - 256), Is.EqualTo(4096));
            Assert.That(RingDescriptor.SlotSizeFor(4096 - 255), Is.EqualTo(8192));
        });
    }
}
