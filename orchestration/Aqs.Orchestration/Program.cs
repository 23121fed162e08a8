using System.CommandLine;
using Aqs.Orchestration.Control;
using Aqs.Orchestration.Quality;
using Aqs.Orchestration.Reports;
using Aqs.Orchestration.Run;
using Aqs.Orchestration.Soak;
using Aqs.Shared.Cli;

namespace Aqs.Orchestration;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("AQS Quad launcher: runs and supervises the four kernels")
        {
            RunCommand.Create(),
            SetCommand.Create(),
            ReportCommand.CreateReport(),
            ReportCommand.CreateCompare(),
            SoakCommand.Create(),
            ProbeCommand.Create(),
            QualityCommand.Create(),
        };
        return CommandLineHost.Run("aqs", root, args);
    }
}
