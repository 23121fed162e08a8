using Aqs.Kernel.Display.References;
using Aqs.Shared.Compression;
using Aqs.Shared.Frames;
using Aqs.Shared.Rings;

namespace Aqs.Kernel.Display.Tests.References;

public sealed class ReferenceStoreTests
{
    private const long Ms = 1_000_000;
    private static readonly FrameLayout Layout = new(32, 16, PixelFormat.Yuv420p);

    private static void Add(ReferenceStore store, long id, long captureNs, byte fill = 0)
    {
        var header = default(SlotHeader);
        header.FrameId = id;
        header.CaptureTimeNs = captureNs;
        header.SetLayout(Layout);
        header.PayloadLength = Layout.FrameSize;
        var payload = new byte[Layout.FrameSize];
        Array.Fill(payload, fill == 0 ? (byte)id : fill);
        store.Add(header, payload, captureNs);
    }

    [Test]
    public void A_frame_presented_seconds_late_still_finds_its_source_when_kept_by_time()
    {
        var store = new ReferenceStore(TimeSpan.FromSeconds(10), 1L << 30);
        for (var id = 0; id < 300; id++) // 5 s at 60 fps: far more than the old 64-slot ring held
        {
            Add(store, id, id * 16_667_000);
        }
        Assert.That(store.TryAcquire(3, out var old), Is.True, "the source of a frame 4.9 s late is still here");
        using var expander = new RefFrameExpander();
        Assert.That(old.Packed(expander)[0], Is.EqualTo(3));
        store.Release(old);
        Assert.That(store.Evicted, Is.Zero);
    }

    [Test]
    public void References_older_than_the_keep_time_leave_and_count_as_evicted()
    {
        var store = new ReferenceStore(TimeSpan.FromSeconds(1), 1L << 30);
        for (var id = 0; id < 180; id++) // 3 s at 60 fps
        {
            Add(store, id, id * 16_667_000);
        }
        Assert.That(store.TryAcquire(10, out _), Is.False, "2.8 s old: gone");
        Assert.That(store.MaxSpanMs, Is.LessThanOrEqualTo(1000.0));
        Assert.That(store.Evicted, Is.EqualTo(180 - store.Count));
    }

    [Test]
    public void Over_the_memory_budget_the_oldest_references_leave_first()
    {
        var store = new ReferenceStore(TimeSpan.FromSeconds(60), 10L * Layout.FrameSize);
        for (var id = 0; id < 30; id++)
        {
            Add(store, id, id * Ms);
        }
        Assert.That(store.Count, Is.EqualTo(10));
        Assert.That(store.TryAcquire(19, out _), Is.False);
        Assert.That(store.TryAcquire(20, out var kept), Is.True);
        store.Release(kept);
        Assert.That(store.MaxBytes, Is.LessThanOrEqualTo(11L * Layout.FrameSize));
    }

    [Test]
    public void Passed_references_leave_without_counting_as_evicted()
    {
        var store = new ReferenceStore(TimeSpan.FromSeconds(10), 1L << 30);
        for (var id = 0; id < 20; id++)
        {
            Add(store, id, id * Ms);
        }
        store.PassBefore(15);
        Assert.That(store.Count, Is.EqualTo(5));
        Assert.That(store.Passed, Is.EqualTo(15));
        Assert.That(store.Evicted, Is.Zero);
    }

    [Test]
    public void The_due_source_is_the_newest_captured_at_or_before_the_moment()
    {
        var store = new ReferenceStore(TimeSpan.FromSeconds(10), 1L << 30);
        for (var id = 0; id < 10; id++)
        {
            Add(store, id, 1000 * Ms + id * 10 * Ms);
        }
        Assert.That(store.TryAcquireDue(1035 * Ms, out var due), Is.True);
        Assert.That(due.FrameId, Is.EqualTo(3));
        store.Release(due);
        Assert.That(store.TryAcquireDue(999 * Ms, out _), Is.False, "nothing captured that early");
    }

    [Test]
    public void A_held_reference_keeps_its_bytes_while_it_is_evicted_and_reused_only_after_release()
    {
        var store = new ReferenceStore(TimeSpan.FromSeconds(60), 2L * Layout.FrameSize);
        Add(store, 1, 1 * Ms, fill: 11);
        Assert.That(store.TryAcquire(1, out var held), Is.True);
        Add(store, 2, 2 * Ms, fill: 22);
        Add(store, 3, 3 * Ms, fill: 33); // over budget: frame 1 is evicted while held
        Add(store, 4, 4 * Ms, fill: 44); // must not reuse frame 1's buffer
        using var expander = new RefFrameExpander();
        Assert.That(held.Packed(expander).ToArray(), Is.All.EqualTo(11));
        store.Release(held);
    }

    [Test]
    public void Ids_going_backwards_mean_a_restarted_source_and_empty_the_store()
    {
        var store = new ReferenceStore(TimeSpan.FromSeconds(10), 1L << 30);
        Add(store, 50, 50 * Ms);
        Add(store, 51, 51 * Ms);
        Add(store, 0, 52 * Ms);
        Assert.That(store.Count, Is.EqualTo(1));
        Assert.That(store.TryAcquire(50, out _), Is.False);
    }
}
