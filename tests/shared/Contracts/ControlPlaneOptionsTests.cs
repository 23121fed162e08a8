using Aqs.Shared.Cli;
using Aqs.Shared.Contracts;

namespace Aqs.Shared.Tests.Contracts;

public class ControlPlaneOptionsTests
{
    [Test]
    public void Session_name_maps_to_the_same_aligned_port_block_every_time()
    {
        var port = ControlPlaneOptions.DerivePort("demo-session");
        Assert.Multiple(() =>
        {
            Assert.That(ControlPlaneOptions.ForSession("demo-session").BasePort, Is.EqualTo(port));
            Assert.That(port, Is.InRange(ControlPlaneOptions.DerivedPortFirst,
                ControlPlaneOptions.DerivedPortLast - ControlPlaneOptions.PortsPerSession + 1));
            Assert.That((port - ControlPlaneOptions.DerivedPortFirst) % ControlPlaneOptions.PortsPerSession, Is.Zero);
        });
    }

    [Test]
    public void Different_sessions_mostly_get_different_ports()
    {
        var ports = Enumerable.Range(0, 100).Select(i => ControlPlaneOptions.DerivePort($"session-{i}")).ToHashSet();
        Assert.That(ports, Has.Count.GreaterThan(90));
    }

    [Test]
    public void Each_role_publishes_on_its_own_port_in_the_block()
    {
        var options = new ControlPlaneOptions(24000);
        var ports = Enum.GetValues<KernelRole>().Select(options.PortOf).ToList();
        Assert.That(ports, Is.Unique.And.All.InRange(24000, 24000 + ControlPlaneOptions.PortsPerSession - 1));
        Assert.That(options.EndpointOf(KernelRole.Network), Is.EqualTo("tcp://127.0.0.1:24002"));
    }

    [TestCase(0)]
    [TestCase(-5)]
    [TestCase(65530)]
    public void Base_port_out_of_range_is_a_user_error(int basePort) =>
        Assert.That(() => new ControlPlaneOptions(basePort),
            Throws.TypeOf<UserFacingException>().With.Message.Contains(basePort.ToString()).And.Message.Contains("--control-port"));

    [Test]
    public void Empty_session_name_is_a_user_error() =>
        Assert.Throws<UserFacingException>(() => ControlPlaneOptions.ForSession(""));
}
