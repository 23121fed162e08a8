using Aqs.Kernel.Display;
using Aqs.Shared.Rings;

namespace Aqs.Kernel.Display.Tests;

public class ReferenceMatcherTests
{
    private string _session = "";

    [SetUp]
    public void NewSession() => _session = "rm" + Guid.NewGuid().ToString("N")[..8];

    [TearDown]
    public void RemoveLeftovers()
    {
        foreach (var file in Directory.EnumerateFiles("/dev/shm", $"*aqs.{_session}.*"))
        {
            File.Delete(file);
        }
    }

    [Test]
    public void Matcher_skips_references_of_dropped_frames_and_keeps_a_newer_one_for_later()
    {
        using var writer = FrameWriter.Create(_session, "ref", new RingOptions(16, 64));
        using var reader = FrameReader.Attach(_session, "ref", ConsumerPolicy.Reliable, "display");
        foreach (var id in new long[] { 0, 1, 2, 3, 5, 6 })
        {
            Assert.That(writer.TryClaim(8, TimeSpan.FromSeconds(1), out var slot), Is.True);
            slot.Header.FrameId = id;
            slot.Payload.Fill((byte)id);
            writer.Publish(ref slot);
        }
        var matcher = new ReferenceMatcher(reader, TimeSpan.FromMilliseconds(50));

        Assert.That(matcher.TryFind(2, out var two), Is.True);
        Assert.That(two.Payload[0], Is.EqualTo(2));
        matcher.Release();
        Assert.That(matcher.Passed, Is.EqualTo(2), "references 0 and 1 belonged to frames that never came");

        Assert.That(matcher.TryFind(4, out _), Is.False, "4 has no reference: 5 is newer");
        Assert.That(matcher.TryFind(5, out var five), Is.True, "5 was kept held, not lost");
        Assert.That(five.Payload[0], Is.EqualTo(5));
        matcher.Release();

        Assert.That(matcher.TryFind(9, out _), Is.False, "no reference yet: gives up after its wait");
    }
}
