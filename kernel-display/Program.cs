using System.CommandLine;
using Aqs.Shared.Cli;
using Aqs.Shared.Kernel;

namespace Aqs.Kernel.Display;

public static class Program
{
    public static int Main(string[] args)
    {
        var common = new CommonOptions();
        var flags = new DisplayFlags();
        var root = new RootCommand("AQS Quad Kernel D (display): decodes the rx ring, matches each frame to its reference, measures delivered quality and latency, feeds quality back");
        flags.AddTo(root);
        common.AddTo(root);
        root.SetAction(parse =>
        {
            var settings = flags.Read(parse, common.Read(parse));
            using var lifetime = new KernelLifetime();
            return new DisplayKernel(settings).Run(lifetime);
        });
        return CommandLineHost.Run("kernel-display", root, args);
    }
}
