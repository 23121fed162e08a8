namespace Aqs.Bench.Harness;

/// <summary>
/// One benchmark suite, run as <c>orchestration/aqs bench NAME</c>. A suite measures our code and its
/// baseline (memcpy, FFmpeg, plain ffmpeg, a C program) in the same run and records both in its report.
/// </summary>
public interface IBenchSuite
{
    /// <summary>Name on the command line and of the results file (<c>results/NAME.md</c>).</summary>
    string Name { get; }

    /// <summary>One line for the list of suites.</summary>
    string Description { get; }

    /// <summary>Runs the suite, writing figures into <paramref name="report"/>; returns 0 on success.</summary>
    int Run(BenchReport report, BenchOptions options);
}

/// <summary>Options every suite receives.</summary>
/// <param name="Quick">Fewer iterations: a smoke run that checks the suite works, not figures to keep.</param>
/// <param name="DataDirectory">Where ../shared/data lies, or null when absent.</param>
public sealed record BenchOptions(bool Quick, string? DataDirectory)
{
    /// <summary>The longer offline run (<c>--long</c>), for suites that have one.</summary>
    public bool Long { get; init; }
}
