using System.CommandLine;
using Aqs.Shared.Cli;
using Aqs.Shared.Kernel;

namespace Aqs.Kernel.Preprocess;

public static class Program
{
    public static int Main(string[] args)
    {
        Sources.SourceFactory.ContainerOpener = Sources.MediaFileSource.Open;
        var common = new CommonOptions();
        var flags = new PreprocessFlags();
        var root = new RootCommand("AQS Quad Kernel B (preprocess): reads a source, paces it, publishes the raw and ref rings");
        flags.AddTo(root);
        common.AddTo(root);
        root.SetAction(parse =>
        {
            var settings = flags.Read(parse, common.Read(parse));
            using var lifetime = new KernelLifetime();
            return new PreprocessKernel(settings).Run(lifetime);
        });
        return CommandLineHost.Run("kernel-preprocess", root, args);
    }
}
