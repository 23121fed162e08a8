using Aqs.Orchestration.Attack;
using Aqs.Orchestration.Tests.Infrastructure;

namespace Aqs.Orchestration.Tests.Attack;

/// <summary>
/// A live run with an attacker on the host: forged, replayed and stranger datagrams to Kernel A's receive port, forged
/// and garbage control messages to the launcher and to every publisher port. Nothing gets in, every datagram and
/// command message is counted, and the stream goes on as if nobody had attacked.
/// </summary>
[NonParallelizable]
public class AttackRunTests
{
    [Test]
    [CancelAfter(150_000)]
    public void An_attacker_during_a_live_run_gets_nothing_accepted_every_attack_is_counted_and_the_stream_is_unaffected()
    {
        // Recording genuine datagrams to replay takes an AF_PACKET socket (CAP_NET_RAW): the CI runs as root.
        if (Environment.UserName != "root")
        {
            Assert.Ignore("replaying needs datagrams recorded off loopback with an AF_PACKET socket (root)");
        }
        using var runs = new TempRuns();

        var verdict = new AttackRun(new AttackOptions { Duration = TimeSpan.FromSeconds(22), RunsDirectory = runs.Path }, TestContext.Out)
            .Execute(CancellationToken.None);

        var run = verdict.Run;
        TestContext.Out.WriteLine(run.Render());
        Assert.That(verdict.Problem, Is.Null, "the attacker ran");
        double N(KernelKind kind, string key) => run.Number(kind, key) ?? double.NaN;
        var sent = verdict.DatagramsSent;
        Assert.Multiple(() =>
        {
            Assert.That(verdict.DatagramsSentTotal, Is.EqualTo(900));
            // Each attack datagram is dropped and counted exactly once, under the reason that fits it.
            Assert.That(N(KernelKind.Network, "datagrams_dropped"), Is.EqualTo(verdict.DatagramsSentTotal), "every attack datagram counted, no genuine one dropped");
            Assert.That(N(KernelKind.Network, "datagrams_dropped_bad_tag"), Is.EqualTo(sent[DatagramAttackKind.Forged]), "forged: refused by the tag");
            Assert.That(N(KernelKind.Network, "datagrams_dropped_replayed"), Is.EqualTo(sent[DatagramAttackKind.Replayed]), "replays: refused by the window");
            Assert.That(N(KernelKind.Network, "datagrams_dropped_malformed") + N(KernelKind.Network, "datagrams_dropped_version") + N(KernelKind.Network, "datagrams_dropped_wrong_session"),
                Is.EqualTo(sent[DatagramAttackKind.Stranger]), "strangers: malformed, other version or other session");
            Assert.That(verdict.CommandMessagesSent, Is.EqualTo(40));
            Assert.That(verdict.CommandMessagesAnsweredOk, Is.Zero, "no forged command relayed");
            Assert.That(verdict.CommandsRefusedByLauncher, Is.EqualTo(verdict.CommandMessagesSent), "every forged command counted");
            Assert.That(verdict.PublisherGarbageConnections, Is.GreaterThan(0));
            // The stream: every frame sent arrived whole, nothing asked for a keyframe, nothing failed to decode, no kernel restarted.
            Assert.That(run.Succeeded, Is.True, run.Failure);
            Assert.That(run.Restarts, Is.Empty);
            Assert.That(N(KernelKind.Network, "frames_received"), Is.EqualTo(N(KernelKind.Network, "frames_sent")));
            Assert.That(N(KernelKind.Network, "frames_lost"), Is.Zero);
            Assert.That(N(KernelKind.Network, "keyframe_requests"), Is.Zero);
            Assert.That(N(KernelKind.Display, "decode_errors"), Is.Zero);
            Assert.That(N(KernelKind.Display, "frames_skipped_until_keyframe"), Is.Zero);
            Assert.That(N(KernelKind.Display, "frames_displayed"), Is.GreaterThan(300));
        });
    }
}
