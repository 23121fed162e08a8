using Aqs.Shared.Contracts;
using Aqs.Shared.Tests.Contracts.Infrastructure;
using CsCheck;
using NetMQ;
using NetMQ.Sockets;

namespace Aqs.Shared.Tests.Contracts;

/// <summary>Bad input on the wire is dropped, counted and logged once per kind; it never throws or stops good traffic.</summary>
public class ControlPlaneDropTests
{
    [Test]
    public void Unknown_schema_version_is_dropped_counted_and_logged_once()
    {
        var log = new StringWriter();
        var options = FreePorts.Options(log);
        using var encode = ListeningPlane.Start("future", KernelRole.Encode, options);
        using var network = ListeningPlane.Start("future", KernelRole.Network, options);
        var future = new NetworkStats { SchemaVersion = 99, LossRate = 0.1 };

        Exchange.ReceiveUntil(encode, () => encode.Counters.DroppedUnknownVersion >= 5, "five unknown-version drops",
            meanwhile: () => network.Publish(future));
        var current = new NetworkStats { LossRate = 0.2 };
        Exchange.PublishUntilReceived(network, encode, current);

        var lines = Lines(log);
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Length.EqualTo(1));
            Assert.That(lines[0], Does.Contain("unknown schema version").And.Contain("schema version 99").And.Contain("NetworkStats"));
            Assert.That(encode.Counters.DroppedMalformed + encode.Counters.DroppedUnknownType, Is.Zero);
            Assert.That(encode.Counters.Received, Is.GreaterThanOrEqualTo(1));
        });
    }

    [Test]
    public void Random_frames_from_a_stranger_are_dropped_counted_and_logged_once_per_kind()
    {
        var log = new StringWriter();
        var options = FreePorts.Options(log);
        using var encode = ListeningPlane.Start("stranger", KernelRole.Encode, options);
        using var stranger = new PublisherSocket();
        stranger.Options.Linger = TimeSpan.Zero;
        stranger.Bind(options.EndpointOf(KernelRole.Network));
        var hello = new Heartbeat { State = "hello" };
        var helloBytes = ContractCodec.Encode(hello);
        Exchange.RepeatUntilReceived(() => stranger.SendMoreFrame("Heartbeat").SendFrame(helloBytes), encode, hello);
        Assert.That(encode.Counters.Dropped, Is.Zero);

        var payloads = Gen.Byte.Array[0, 300].Array[200].Single();
        var expectedDrops = payloads.Count(p => !(ContractCodec.TryDecode(p, out var m, out _) && m is NetworkStats));
        foreach (var payload in payloads)
        {
            stranger.SendMoreFrame("NetworkStats").SendFrame(payload);
        }
        stranger.SendFrame("a topic without a payload");
        stranger.SendMoreFrame("Heartbeat").SendMoreFrame(helloBytes).SendFrame(helloBytes);
        stranger.SendMoreFrame("NetworkStats").SendFrame(helloBytes);
        const int badShapes = 3;
        // TCP keeps order: once this arrives, everything sent before it has been judged.
        var bye = new Heartbeat { State = "bye" };
        stranger.SendMoreFrame("Heartbeat").SendFrame(ContractCodec.Encode(bye));
        Exchange.RepeatUntilReceived(() => { }, encode, bye);

        var counters = encode.Counters;
        long[] byKind = [counters.DroppedMalformed, counters.DroppedUnknownVersion, counters.DroppedUnknownType];
        Assert.Multiple(() =>
        {
            Assert.That(counters.Dropped, Is.EqualTo(expectedDrops + badShapes));
            Assert.That(counters.DroppedMalformed, Is.GreaterThanOrEqualTo(badShapes));
            Assert.That(Lines(log), Has.Length.EqualTo(byKind.Count(n => n > 0)), log.ToString());
            Assert.That(Lines(log), Has.All.Contain("dropped a control message"));
            TestContext.Out.WriteLine(log.ToString());
        });
    }

    [Test]
    public void An_oversized_message_is_refused_and_the_plane_keeps_working()
    {
        var options = FreePorts.Options() with { MaxMessageBytes = 4096 };
        using var encode = ListeningPlane.Start("big", KernelRole.Encode, options);
        using var network = ListeningPlane.Start("big", KernelRole.Network, options);
        Exchange.PublishUntilReceived(network, encode, new NetworkStats { PacketsSent = 1 });

        network.Publish(new EncoderStats { Codec = new string('x', 10_000) });
        var after = new NetworkStats { PacketsSent = 2 };
        var oversizedArrived = false;
        encode.Subscribe<EncoderStats>(_ => oversizedArrived = true);
        var afterArrived = false;
        encode.Subscribe<NetworkStats>(stats => afterArrived |= stats == after);

        // NetMQ cuts the connection on an oversized message; the subscriber reconnects by itself.
        var deadline = DateTime.UtcNow + Exchange.Patience;
        while (!afterArrived && DateTime.UtcNow < deadline)
        {
            network.Publish(after);
            encode.Poll(TimeSpan.FromMilliseconds(20));
        }

        Assert.Multiple(() =>
        {
            Assert.That(afterArrived, Is.True, "the plane did not recover");
            Assert.That(oversizedArrived, Is.False);
            Assert.That(encode.Counters.Dropped, Is.Zero);
        });
    }

    private static string[] Lines(StringWriter log) =>
        log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
