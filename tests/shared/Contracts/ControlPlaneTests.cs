using System.Net;
using System.Net.Sockets;
using Aqs.Shared.Cli;
using Aqs.Shared.Contracts;
using Aqs.Shared.Tests.Contracts.Infrastructure;

namespace Aqs.Shared.Tests.Contracts;

public class ControlPlaneTests
{
    [Test]
    public void Every_contract_crosses_a_real_pub_sub_pair_when_the_subscriber_starts_first()
    {
        var options = FreePorts.Options();
        using var encode = ListeningPlane.Start("pair", KernelRole.Encode, options);
        using var network = ListeningPlane.Start("pair", KernelRole.Network, options);

        foreach (var sample in SampleContracts.All)
        {
            Assert.That(Exchange.PublishUntilReceived(network, encode, sample), Is.EqualTo(sample).And.Not.SameAs(sample));
        }
        Assert.That(encode.Counters.Dropped, Is.Zero);
        Assert.That(network.Counters.Sent, Is.GreaterThanOrEqualTo(SampleContracts.All.Length));
    }

    [Test]
    public void A_subscriber_that_starts_after_the_publisher_hears_it_once_connected()
    {
        var options = FreePorts.Options();
        using var display = ListeningPlane.Start("late", KernelRole.Display, options);
        for (var i = 0; i < 10; i++)
        {
            display.Publish(new QualityFeedback { FrameId = i });
        }
        using var encode = ListeningPlane.Start("late", KernelRole.Encode, options);

        var feedback = new QualityFeedback { FrameId = 99, Ssim = 0.95, FramesMeasured = 3 };
        Assert.That(Exchange.PublishUntilReceived(display, encode, feedback), Is.EqualTo(feedback));
    }

    [Test]
    public void Messages_flow_both_ways_and_from_every_role()
    {
        var options = FreePorts.Options();
        var planes = Enum.GetValues<KernelRole>().Select(role => ListeningPlane.Start("all", role, options)).ToList();
        try
        {
            var orchestrator = planes.Single(p => p.Role == KernelRole.Orchestrator);
            foreach (var plane in planes.Where(p => p != orchestrator))
            {
                var beat = new Heartbeat { Role = plane.Role, Pid = 1, State = "from " + plane.Role };
                Assert.That(Exchange.PublishUntilReceived(plane, orchestrator, beat), Is.EqualTo(beat));
                var stop = new Command { Kind = CommandKind.Stop, Target = plane.Role };
                Assert.That(Exchange.PublishUntilReceived(orchestrator, plane, stop), Is.EqualTo(stop));
            }
        }
        finally
        {
            planes.ForEach(p => p.Dispose());
        }
    }

    [Test]
    public void A_restarted_publisher_is_heard_again()
    {
        var options = FreePorts.Options();
        using var encode = ListeningPlane.Start("restart", KernelRole.Encode, options);
        var first = ListeningPlane.Start("restart", KernelRole.Network, options);
        var before = new NetworkStats { PacketsSent = 1 };
        Exchange.PublishUntilReceived(first, encode, before);
        first.Dispose();

        using var second = ListeningPlane.Start("restart", KernelRole.Network, options);
        var after = new NetworkStats { PacketsSent = 2 };

        Assert.That(Exchange.PublishUntilReceived(second, encode, after), Is.EqualTo(after));
    }

    [Test]
    public void Publishing_with_nobody_listening_neither_blocks_nor_throws()
    {
        using var lonely = ListeningPlane.Start("lonely", KernelRole.Encode, FreePorts.Options());
        var stats = new EncoderStats { FrameId = 1, Codec = "libx264" };

        for (var i = 0; i < 5000; i++)
        {
            lonely.Publish(stats);
        }

        Assert.That(lonely.Counters.Sent, Is.EqualTo(5000));
        Assert.That(lonely.TryReceive(out var nothing, TimeSpan.Zero), Is.False);
        Assert.That(nothing, Is.Null);
    }

    [Test]
    public void A_kernel_receives_only_the_topics_it_subscribed_to()
    {
        var options = FreePorts.Options();
        using var encode = ControlPlane.Start("topics", KernelRole.Encode, options);
        using var network = ListeningPlane.Start("topics", KernelRole.Network, options);
        var heard = new List<object>();
        encode.Subscribe<KeyframeRequest>(heard.Add);

        // Until the subscription reaches the publisher, repeat both: stats first, so a leak would show.
        var request = new KeyframeRequest { From = KernelRole.Network, Reason = "test" };
        var deadline = DateTime.UtcNow + Exchange.Patience;
        while (heard.Count == 0 && DateTime.UtcNow < deadline)
        {
            network.Publish(new NetworkStats { PacketsSent = 1 });
            network.Publish(new EncoderStats { FrameId = 1 });
            network.Publish(request);
            encode.Poll(TimeSpan.FromMilliseconds(20));
        }
        for (var i = 0; i < 20; i++)
        {
            network.Publish(new NetworkStats { PacketsSent = 2 });
            encode.Poll(TimeSpan.FromMilliseconds(5));
        }

        Assert.That(heard, Is.Not.Empty.And.All.EqualTo(request));
        Assert.That(encode.Counters.Received, Is.EqualTo(heard.Count), "NetMQ filtered the other topics at the publisher");
    }

    [Test]
    public void Poll_runs_subscribed_handlers_on_the_calling_thread()
    {
        var options = FreePorts.Options();
        using var orchestrator = ListeningPlane.Start("poll", KernelRole.Orchestrator, options);
        using var network = ListeningPlane.Start("poll", KernelRole.Network, options);
        var heard = new List<(Heartbeat Beat, int Thread)>();
        orchestrator.Subscribe<Heartbeat>(beat => heard.Add((beat, Environment.CurrentManagedThreadId)));

        var deadline = DateTime.UtcNow + Exchange.Patience;
        while (heard.Count == 0 && DateTime.UtcNow < deadline)
        {
            network.PublishHeartbeat("running");
            orchestrator.Poll(TimeSpan.FromMilliseconds(20));
        }

        Assert.That(heard, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            Assert.That(heard[0].Thread, Is.EqualTo(Environment.CurrentManagedThreadId));
            Assert.That(heard[0].Beat.Role, Is.EqualTo(KernelRole.Network));
            Assert.That(heard[0].Beat.Pid, Is.EqualTo(Environment.ProcessId));
            Assert.That(heard[0].Beat.State, Is.EqualTo("running"));
        });
    }

    [Test]
    public void A_port_held_by_another_program_is_a_one_line_error_naming_it()
    {
        var options = FreePorts.Options() with { BindRetry = TimeSpan.FromMilliseconds(50) };
        var port = options.PortOf(KernelRole.Display);
        var squatter = new TcpListener(IPAddress.Loopback, port);
        squatter.Start();
        try
        {
            var error = Assert.Throws<UserFacingException>(() => ListeningPlane.Start("busy", KernelRole.Display, options));
            Assert.That(error!.Message, Does.Contain(port.ToString()).And.Contain("--control-port").And.Not.Contain('\n'));
        }
        finally
        {
            squatter.Stop();
        }
    }

    [Test]
    public void Sub_millisecond_timeouts_return_instead_of_waiting_for_ever()
    {
        // NetMQ alone would truncate these to 0 ms and block for ever (see NetMqTimeout).
        using var plane = ListeningPlane.Start("tiny", KernelRole.Encode, FreePorts.Options());
        var attempt = Task.Run(() => plane.TryReceive(out _, TimeSpan.FromTicks(5_000)) || plane.TryReceive(out _, TimeSpan.FromTicks(1)));

        Assert.That(attempt.Wait(Exchange.Patience), Is.True, "TryReceive hung");
        Assert.That(attempt.Result, Is.False);
    }

    [Test]
    public void After_dispose_publish_is_a_no_op_and_receive_returns_nothing()
    {
        var plane = ListeningPlane.Start("gone", KernelRole.Encode, FreePorts.Options());
        plane.Dispose();

        plane.Publish(new Heartbeat());

        Assert.That(plane.Counters.Sent, Is.Zero);
        Assert.That(plane.TryReceive(out _, TimeSpan.FromMilliseconds(10)), Is.False);
    }

    [Test]
    public void Publishing_a_type_that_is_not_a_contract_is_a_programming_error()
    {
        using var plane = ListeningPlane.Start("typo", KernelRole.Encode, FreePorts.Options());
        Assert.Throws<ArgumentException>(() => plane.Publish("not a contract"));
        Assert.Throws<ArgumentException>(() => plane.Subscribe<string>(_ => { }));
    }
}
