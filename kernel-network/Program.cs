using System.CommandLine;
using Aqs.Shared.Cli;

namespace Aqs.Kernel.Network;

public static class Program
{
    public static int Main(string[] args)
    {
        var session = new Option<string>("--session") { Description = "session whose rings to attach to", Required = true };
        var root = new RootCommand("AQS Quad kernel-network") { session };
        root.SetAction(parse =>
        {
            Console.Error.WriteLine("kernel-network: the pipeline stage is not built yet");
            return 1;
        });
        return CommandLineHost.Run("kernel-network", root, args);
    }
}
