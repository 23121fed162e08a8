using System.CommandLine;
using Aqs.Shared.Cli;
using Aqs.Shared.Kernel;

namespace Aqs.Kernel.Network;

public static class Program
{
    public static int Main(string[] args)
    {
        var common = new CommonOptions();
        var flags = new NetworkFlags();
        var root = new RootCommand("AQS Quad Kernel A (network): packetizes the enc ring into FEC-protected, authenticated UDP, receives, reassembles and publishes the rx ring");
        flags.AddTo(root);
        common.AddTo(root);
        root.SetAction(parse =>
        {
            var settings = flags.Read(parse, common.Read(parse));
            using var lifetime = new KernelLifetime();
            return new NetworkKernel(settings).Run(lifetime);
        });
        return CommandLineHost.Run("kernel-network", root, args);
    }
}
