using Aqs.Shared.Rings;

namespace Aqs.Kernel.Preprocess.Tests.Memory;

/// <summary>FrameWriter.TryLockPages: locked, or refused with one line; never an exception.</summary>
public class RingPageLockTests
{
    private static long LockedKiB()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmLck:", StringComparison.Ordinal));
        return long.Parse(line["VmLck:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void AssertLockedOrExplained(int slots, int capacity, string expectedInReason)
    {
        var session = $"lk{Environment.ProcessId}x{slots}";
        using var writer = FrameWriter.Create(session, "ref", new RingOptions(slots, capacity));
        try
        {
            var before = LockedKiB();
            bool locked = false;
            string? reason = null;
            Assert.DoesNotThrow(() => locked = writer.TryLockPages(out reason));
            if (locked)
            {
                Assert.That(reason, Is.Null);
                Assert.That(LockedKiB() - before, Is.GreaterThanOrEqualTo((long)slots * capacity / 1024), "VmLck grew by the ring's size");
            }
            else
            {
                Assert.That(reason, Is.Not.Null.And.Not.Empty);
                Assert.That(reason, Does.Not.Contain('\n'));
                Assert.That(reason, Does.Contain(expectedInReason));
            }
        }
        finally
        {
            writer.Close();
        }
    }

    [Test]
    public void Small_ring_pages_are_locked_or_the_refusal_is_one_line()
    {
        AssertLockedOrExplained(4, 64 * 1024, "ring aqs.");
    }

    [Test]
    public void Ring_beyond_the_memlock_limit_is_refused_with_a_reason_naming_the_limit_or_locked_when_privileged()
    {
        // 32 MiB: above the common 8 MiB RLIMIT_MEMLOCK; a process with CAP_IPC_LOCK locks it anyway.
        AssertLockedOrExplained(8, 4 * 1024 * 1024, "RLIMIT_MEMLOCK");
    }

    [Test]
    public void Locking_a_disposed_writer_is_an_ObjectDisposedException_not_a_crash()
    {
        var writer = FrameWriter.Create($"lk{Environment.ProcessId}d", "ref", new RingOptions(2, 4096));
        writer.Close();
        writer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => writer.TryLockPages(out _));
    }
}
