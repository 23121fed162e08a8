using Aqs.Shared.Cli;
using Aqs.Shared.Contracts;
using Aqs.Shared.Security;
using Aqs.Shared.Tests.Contracts.Infrastructure;
using NetMQ;
using NetMQ.Sockets;

namespace Aqs.Shared.Tests.Contracts;

/// <summary>Loopback by default; off loopback only with the session's CURVE keys, and a peer without them hears nothing.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class ControlPlaneSecurityTests
{
    private string _keys = "";

    [SetUp]
    public void NewKeysPath() => _keys = Path.Combine(Path.GetTempPath(), "aqs-keys-" + Guid.NewGuid().ToString("N")[..8]);

    [TearDown]
    public void Remove() => File.Delete(_keys);

    [Test]
    public void Control_plane_binds_to_loopback_when_nothing_is_said()
    {
        var options = FreePorts.Options();

        Assert.Multiple(() =>
        {
            Assert.That(new ControlPlaneSecurity().BindAddress, Is.EqualTo("127.0.0.1"));
            Assert.That(ControlPlaneSecurity.From(null, null).Keys, Is.Null);
            Assert.That(options.BindEndpointOf(KernelRole.Encode), Does.StartWith("tcp://127.0.0.1:"));
        });
    }

    [TestCase("0.0.0.0")]
    [TestCase("192.168.1.20")]
    public void Binding_off_loopback_without_keys_is_refused_in_one_line(string address)
    {
        var ex = Assert.Throws<UserFacingException>(() => ControlPlaneSecurity.From(address, null))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.ExitCode, Is.EqualTo(CommandLineHost.ExitUsage));
            Assert.That(ex.Message, Does.Contain("--control-keys").And.Not.Contain("\n"));
        });
    }

    [Test]
    public void Bind_address_that_is_not_an_address_is_refused_in_one_line()
    {
        var ex = Assert.Throws<UserFacingException>(() => ControlPlaneSecurity.From("example.org; rm -rf", null))!;

        Assert.That(ex.ExitCode, Is.EqualTo(CommandLineHost.ExitUsage));
        Assert.That(ex.Message, Does.Contain("not an IP address").And.Not.Contain("\n"));
    }

    [Test]
    public void Keys_are_saved_0600_and_load_back_to_the_same_public_keys()
    {
        var keys = ControlPlaneKeys.Create();
        keys.Save(_keys);

        var loaded = ControlPlaneKeys.Load(_keys);

        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(_keys), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            Assert.That(loaded.Server.PublicKey, Is.EqualTo(keys.Server.PublicKey));
            Assert.That(loaded.Client.PublicKey, Is.EqualTo(keys.Client.PublicKey));
        });
    }

    [Test]
    public void Keys_file_readable_by_others_is_refused_without_echoing_a_key()
    {
        var keys = ControlPlaneKeys.Create();
        keys.Save(_keys);
        File.SetUnixFileMode(_keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var ex = Assert.Throws<UserFacingException>(() => ControlPlaneKeys.Load(_keys))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.ExitCode, Is.EqualTo(CommandLineHost.ExitUsage));
            Assert.That(ex.Message, Does.Contain("chmod 600").And.Not.Contain("\n"));
            Assert.That(ex.Message, Does.Not.Contain(keys.Server.SecretKeyZ85).And.Not.Contain(keys.Client.SecretKeyZ85));
        });
    }

    [TestCase("server-secret short\nclient-secret short\n", "40 (Z85)")]
    [TestCase("client-secret 0000000000000000000000000000000000000000\n", "server-secret")]
    [TestCase("", "server-secret")]
    public void Damaged_keys_file_is_refused_in_one_line(string text, string reason)
    {
        OwnerOnlyFile.Write(_keys, text);

        var ex = Assert.Throws<UserFacingException>(() => ControlPlaneKeys.Load(_keys))!;

        Assert.That(ex.ExitCode, Is.EqualTo(CommandLineHost.ExitUsage));
        Assert.That(ex.Message, Does.Contain(reason).And.Not.Contain("\n"));
    }

    [Test]
    public void Planes_with_the_session_keys_talk_off_loopback()
    {
        var security = Secure();
        var options = FreePorts.Options() with { Security = security };
        using var orchestrator = ListeningPlane.Start("curve", KernelRole.Orchestrator, options);
        using var encode = ListeningPlane.Start("curve", KernelRole.Encode, options);

        var stop = new Command { Kind = CommandKind.Stop, Target = KernelRole.Encode };
        Assert.That(Exchange.PublishUntilReceived(orchestrator, encode, stop), Is.EqualTo(stop));
    }

    [Test]
    public void Subscriber_without_the_keys_hears_nothing_from_a_curve_publisher()
    {
        var options = FreePorts.Options() with { Security = Secure() };
        using var orchestrator = ListeningPlane.Start("curve", KernelRole.Orchestrator, options);
        using var encode = ListeningPlane.Start("curve", KernelRole.Encode, options);
        using var stranger = new SubscriberSocket();
        stranger.Options.Linger = TimeSpan.Zero;
        stranger.Connect($"tcp://127.0.0.1:{options.PortOf(KernelRole.Orchestrator)}");
        stranger.SubscribeToAnyTopic();
        using var strangerWithOwnKeys = new SubscriberSocket();
        strangerWithOwnKeys.Options.Linger = TimeSpan.Zero;
        ControlPlaneKeys.Create().Join(strangerWithOwnKeys);
        strangerWithOwnKeys.Connect($"tcp://127.0.0.1:{options.PortOf(KernelRole.Orchestrator)}");
        strangerWithOwnKeys.SubscribeToAnyTopic();

        // The legitimate subscriber hearing it proves the message went out while the strangers were connected.
        var stop = new Command { Kind = CommandKind.Stop, Target = KernelRole.Encode };
        Exchange.PublishUntilReceived(orchestrator, encode, stop);
        for (var i = 0; i < 20; i++)
        {
            orchestrator.Publish(stop);
        }

        Assert.Multiple(() =>
        {
            Assert.That(stranger.TryReceiveFrameBytes(TimeSpan.FromMilliseconds(300), out _), Is.False, "a plain socket");
            Assert.That(strangerWithOwnKeys.TryReceiveFrameBytes(TimeSpan.FromMilliseconds(300), out _), Is.False, "a socket with keys of its own");
        });
    }

    /// <summary>A wildcard bind with fresh keys, as <c>aqs run --control-bind 0.0.0.0</c> sets it up.</summary>
    private ControlPlaneSecurity Secure()
    {
        ControlPlaneKeys.Create().Save(_keys);
        return ControlPlaneSecurity.From("0.0.0.0", _keys);
    }
}
