using Aqs.Kernel.Network.Transport;

namespace Aqs.Kernel.Network.Tests.Transport;

public class TwoProcessTransportTests : TransportTestSession
{
    private string _dir = "";

    [SetUp]
    public void KeyDirectory() => _dir = Directory.CreateTempSubdirectory("aqs-netkey").FullName;

    [TearDown]
    public void RemoveKeys() => Directory.Delete(_dir, recursive: true);

    [Test]
    [CancelAfter(60_000)]
    public void Sender_and_receiver_in_separate_processes_sharing_a_key_file_exchange_frames()
    {
        var keyFile = Path.Combine(_dir, "session.key");
        SessionKeys.CreateFile(keyFile);
        Assert.That(File.GetUnixFileMode(keyFile), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));

        using var receiver = new PeerProcess("net-receive", [$"session={Session}", $"key={keyFile}", "listen=0", "seconds=20", "frames=60", "encrypt=1"]);
        var listening = receiver.WaitForLine("listening", TimeSpan.FromSeconds(20));
        Assert.That(listening, Is.Not.Null, receiver.Errors);
        var port = PeerProcess.Fields(listening!)["port"];
        using var sender = new PeerProcess("net-send", [$"session={Session}", $"key={keyFile}", $"peer=127.0.0.1:{port}", "seconds=2", "demand-bps=2000000", "encrypt=1"]);
        Assert.That(sender.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, sender.Errors);
        var received = receiver.WaitForLine("received", TimeSpan.FromSeconds(20));
        TestContext.Out.WriteLine($"{sender.Lines.LastOrDefault()}\n{received}");
        Assert.That(received, Is.Not.Null, receiver.Errors);
        var fields = PeerProcess.Fields(received!);
        Assert.That(int.Parse(fields["frames"]), Is.EqualTo(60), "all frames of 2 s at 30 fps over loopback");
        Assert.That(fields["verified"], Is.EqualTo(fields["frames"]), "byte for byte");
    }

    [Test]
    [CancelAfter(60_000)]
    public void A_sender_with_another_key_gets_nothing_through()
    {
        var keyFile = Path.Combine(_dir, "session.key");
        var otherKey = Path.Combine(_dir, "other.key");
        SessionKeys.CreateFile(keyFile);
        SessionKeys.CreateFile(otherKey);

        using var receiver = new PeerProcess("net-receive", [$"session={Session}", $"key={keyFile}", "listen=0", "seconds=4"]);
        var listening = receiver.WaitForLine("listening", TimeSpan.FromSeconds(20));
        Assert.That(listening, Is.Not.Null, receiver.Errors);
        var port = PeerProcess.Fields(listening!)["port"];
        using var sender = new PeerProcess("net-send", [$"session={Session}", $"key={otherKey}", $"peer=127.0.0.1:{port}", "seconds=1", "demand-bps=1000000"]);
        Assert.That(sender.WaitForExit(TimeSpan.FromSeconds(30)), Is.Zero, sender.Errors);
        var received = receiver.WaitForLine("received", TimeSpan.FromSeconds(20));
        TestContext.Out.WriteLine(received);
        var fields = PeerProcess.Fields(received!);
        Assert.That(fields["frames"], Is.EqualTo("0"));
        Assert.That(int.Parse(fields["dropped"]), Is.GreaterThan(0), "forged datagrams are dropped and counted");
    }
}
