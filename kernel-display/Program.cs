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
        var root = new RootCommand("AQS Quad Kernel D (display): decodes the rx ring at any rung, presents on a display clock, measures what the viewer sees (on-screen age, freezes, quality against the source) and feeds it back");
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
