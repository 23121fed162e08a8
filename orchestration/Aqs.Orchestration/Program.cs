using System.CommandLine;
using Aqs.Shared.Cli;

namespace Aqs.Orchestration;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("AQS Quad launcher: runs and supervises the four kernels");
        return CommandLineHost.Run("aqs", root, args);
    }
}
