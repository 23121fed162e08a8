using System.Diagnostics;
using Aqs.Shared.Rings;

namespace Aqs.Orchestration.Tests.Kernels;

/// <summary>
/// The README's "producers wait (up to --attach-timeout) for their consumers before publishing, so a pipeline
/// started all at once loses no first frames", checked on the real Kernel B: it is started first, as fast as it
/// can go, and its consumers attach a second later.
/// </summary>
[NonParallelizable]
public class ProducerWaitsForConsumersTests
{
    private const int Frames = 20;

    [Test]
    [CancelAfter(60_000)]
    public void Kernel_b_holds_its_first_frame_until_late_consumers_attach()
    {
        var session = "w" + Guid.NewGuid().ToString("N")[..8];
        using var kernel = StartPreprocess(session, "10s");
        try
        {
            WaitForRings(session);
            // At asap pacing Kernel B would publish all 20 frames well within this second if it did not wait.
            Thread.Sleep(1000);
            using var raw = FrameReader.Attach(session, "raw", ConsumerPolicy.Reliable, "late-raw", TimeSpan.FromSeconds(5));
            using var reference = FrameReader.Attach(session, "ref", ConsumerPolicy.Reliable, "late-ref", TimeSpan.FromSeconds(5));
            var rawIds = new List<long>();
            var refIds = new List<long>();
            // Two rings, read in turn, so neither reliable reader holds the producer back for long.
            while (!Drained(raw, rawIds) | !Drained(reference, refIds))
            {
            }
            Assert.Multiple(() =>
            {
                Assert.That(rawIds, Is.EqualTo(Enumerable.Range(0, Frames).Select(i => (long)i)), "raw ring: frames from the first");
                Assert.That(refIds, Is.EqualTo(Enumerable.Range(0, Frames).Select(i => (long)i)), "ref ring: frames from the first");
            });
        }
        finally
        {
            Stop(kernel);
        }
        Assert.That(kernel.ExitCode, Is.Zero, kernel.StandardError.ReadToEnd());
    }

    [Test]
    [CancelAfter(60_000)]
    public void Kernel_b_says_in_one_line_when_no_consumer_came_within_the_timeout()
    {
        var session = "w" + Guid.NewGuid().ToString("N")[..8];
        using var kernel = StartPreprocess(session, "300ms");
        if (!kernel.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            Stop(kernel);
            Assert.Fail("kernel-preprocess did not finish its 20 frames with no consumer");
        }
        var stderr = kernel.StandardError.ReadToEnd();
        Assert.Multiple(() =>
        {
            Assert.That(kernel.ExitCode, Is.Zero, stderr);
            Assert.That(stderr, Does.Contain("no consumer attached to the raw ring").And.Contain("publishing anyway"));
        });
    }

    /// <summary>Takes what the reader has now; true once it has seen the end of the stream.</summary>
    private static bool Drained(FrameReader reader, List<long> ids)
    {
        while (true)
        {
            switch (reader.TryRead(TimeSpan.FromMilliseconds(20), out var slot))
            {
                case ReadStatus.Closed:
                    return true;
                case ReadStatus.Timeout:
                    return false;
            }
            var endOfStream = (slot.Header.Flags & SlotFlags.EndOfStream) != 0;
            if (!endOfStream || slot.Payload.Length > 0)
            {
                ids.Add(slot.Header.FrameId);
            }
            reader.Release();
            if (endOfStream)
            {
                return true;
            }
        }
    }

    private static Process StartPreprocess(string session, string attachTimeout)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in (string[])[KernelBinaries.PathOf(KernelKind.Preprocess), "--session", session, "--input", "synthetic",
                     "--size", "160x96", "--fps", "30", "--frames", Frames.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--pacing", "asap", "--attach-timeout", attachTimeout])
        {
            info.ArgumentList.Add(a);
        }
        var process = Process.Start(info)!;
        process.StandardOutput.ReadToEndAsync();
        return process;
    }

    private static void WaitForRings(string session)
    {
        var deadline = Stopwatch.StartNew();
        while (!(File.Exists(RingNames.PathFor(session, "raw")) && File.Exists(RingNames.PathFor(session, "ref"))))
        {
            Assert.That(deadline.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "Kernel B made its rings");
            Thread.Sleep(20);
        }
    }

    private static void Stop(Process kernel)
    {
        if (!kernel.WaitForExit(TimeSpan.FromSeconds(20)))
        {
            kernel.Kill(entireProcessTree: true);
            kernel.WaitForExit();
        }
    }
}
