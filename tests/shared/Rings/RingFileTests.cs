using System.Buffers.Binary;
using Aqs.Shared.Rings;
using Aqs.Shared.Tests.Rings.Infrastructure;

namespace Aqs.Shared.Tests.Rings;

/// <summary>The ring file itself: permissions, clean removal, damaged files, session isolation.</summary>
public class RingFileTests : RingTestBase
{
    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Ring_file_and_semaphores_are_owner_only_and_removed_on_clean_shutdown()
    {
        var writer = FrameWriter.Create(Session, "raw", Small());
        var reader = FrameReader.Attach(Session, "raw", ConsumerPolicy.Reliable, "enc");
        var path = RingNames.PathFor(Session, "raw");
        Assert.That(writer.Path, Is.EqualTo(path));
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        var files = RingNames.FilesOf(Session).ToList();
        Assert.That(files, Does.Contain(path));
        Assert.That(files, Does.Contain($"/dev/shm/sem.aqs.{Session}.raw.c0"));
        Assert.That(files, Does.Contain($"/dev/shm/sem.aqs.{Session}.raw.p"));
        foreach (var f in files)
        {
            Assert.That(File.GetUnixFileMode(f) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite), Is.EqualTo(UnixFileMode.None), f);
        }

        reader.Dispose();
        writer.Close();
        writer.Dispose();
        Assert.That(RingNames.FilesOf(Session), Is.Empty);
    }

    [Test]
    public void Ring_with_wrong_magic_is_refused_in_one_line_naming_the_file_and_field()
    {
        var path = LeaveRing();
        Patch(path, RingDescriptor.MagicOffset, 0x1122334455667788);
        AssertRefused(path, "magic");
    }

    [Test]
    public void Ring_with_another_layout_version_is_refused_in_one_line()
    {
        var path = LeaveRing();
        Patch(path, RingDescriptor.VersionOffset, 99);
        AssertRefused(path, "layout version 99");
    }

    [Test]
    public void Truncated_ring_is_refused_in_one_line()
    {
        var path = LeaveRing();
        using (var f = new FileStream(path, FileMode.Open))
        {
            f.SetLength(RingDescriptor.HeaderLength + 100);
        }
        AssertRefused(path, "truncated");
    }

    [Test]
    public void Ring_shorter_than_its_header_page_is_refused_in_one_line()
    {
        var path = LeaveRing();
        using (var f = new FileStream(path, FileMode.Open))
        {
            f.SetLength(100);
        }
        AssertRefused(path, "shorter than its 4096-byte header");
    }

    [Test]
    public void Two_sessions_never_see_each_others_rings()
    {
        var other = "t" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            using var a = FrameWriter.Create(Session, "raw", Small());
            using var b = FrameWriter.Create(other, "raw", Small());
            using var readA = FrameReader.Attach(Session, "raw", ConsumerPolicy.Reliable, "r");
            using var readB = FrameReader.Attach(other, "raw", ConsumerPolicy.Reliable, "r");
            Assert.That(a.TryClaim(8, TimeSpan.Zero, out var s), Is.True);
            s.Header.FrameId = 111;
            a.Publish(ref s);

            Assert.That(readB.TryRead(TimeSpan.FromMilliseconds(50), out _), Is.EqualTo(ReadStatus.Timeout));
            Assert.That(readA.TryRead(TimeSpan.Zero, out var got), Is.EqualTo(ReadStatus.Frame));
            Assert.That(got.Header.FrameId, Is.EqualTo(111));
            Assert.That(RingNames.FilesOf(Session).Any(f => f.Contains(other, StringComparison.Ordinal)), Is.False);
            Assert.Throws<RingException>(() => FrameReader.Attach(other, "only-in-a", ConsumerPolicy.Reliable, "r"));
        }
        finally
        {
            foreach (var f in RingNames.FilesOf(other))
            {
                File.Delete(f);
            }
        }
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Ring_owned_by_another_user_is_refused_in_one_line()
    {
        var path = LeaveRing();
        Security.OtherUser.Give(path);

        AssertRefused(path, $"belongs to uid {Security.OtherUser.Uid}");
    }

    [Test]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Ring_other_users_may_write_is_refused_in_one_line()
    {
        var path = LeaveRing();
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite);

        AssertRefused(path, "mode 622");
    }

    /// <summary>A ring file left behind by a producer that did not close it (as after a crash).</summary>
    private string LeaveRing()
    {
        using (FrameWriter.Create(Session, "raw", Small()))
        {
        }
        return RingNames.PathFor(Session, "raw");
    }

    private static void Patch(string path, int offset, long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        using var f = new FileStream(path, FileMode.Open);
        f.Position = offset;
        f.Write(offset == RingDescriptor.VersionOffset ? bytes[..4] : bytes);
    }

    private void AssertRefused(string path, string field)
    {
        var byReader = Assert.Throws<RingException>(() => FrameReader.Attach(Session, "raw", ConsumerPolicy.Reliable, "r"));
        var byWriter = Assert.Throws<RingException>(() => FrameWriter.Create(Session, "raw", Small()));
        foreach (var ex in new[] { byReader!, byWriter! })
        {
            Assert.That(ex.Message, Does.Contain(path).And.Contain(field));
            Assert.That(ex.Message, Does.Not.Contain("\n"));
        }
    }
}
