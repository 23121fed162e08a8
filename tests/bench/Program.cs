using System.Reflection;
using Aqs.Bench.Harness;

namespace Aqs.Bench;

/// <summary><c>Aqs.Bench SUITE|all [--quick] [--long] [--results DIR]</c>: runs benchmark suites and writes their results files.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var suites = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IBenchSuite).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (IBenchSuite)Activator.CreateInstance(t)!)
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        var quick = args.Contains("--quick");
        var resultsAt = Array.IndexOf(args, "--results");
        if (resultsAt >= 0 && resultsAt + 1 >= args.Length)
        {
            Console.Error.WriteLine("aqs bench: --results needs a folder");
            return 2;
        }
        var results = resultsAt >= 0 ? args[resultsAt + 1] : RepositoryPaths.Results;
        var names = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && !(resultsAt >= 0 && i == resultsAt + 1)).ToList();
        if (names.Count == 0 || args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine("usage: orchestration/aqs bench SUITE|all [--quick] [--long] [--results DIR]  (results go to tests/bench/results unless DIR is given)");
            foreach (var s in suites)
            {
                Console.WriteLine($"  {s.Name,-10} {s.Description}");
            }
            return names.Count == 0 && !args.Contains("--help") && !args.Contains("-h") ? 2 : 0;
        }
        var chosen = names.Contains("all") ? suites : suites.Where(s => names.Contains(s.Name)).ToList();
        var unknown = names.Where(n => n != "all" && suites.All(s => s.Name != n)).ToList();
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine($"aqs bench: unknown suite '{unknown[0]}'; suites: {string.Join(", ", suites.Select(s => s.Name))}");
            return 2;
        }
        var options = new BenchOptions(quick, RepositoryPaths.SharedData) { Long = args.Contains("--long") };
        var rc = 0;
        foreach (var suite in chosen)
        {
            var report = new BenchReport(suite.Name);
            var result = suite.Run(report, options);
            var path = report.Write(results);
            Console.WriteLine($"aqs bench: {suite.Name} -> {Path.GetRelativePath(RepositoryPaths.Root, path)}");
            rc = Math.Max(rc, result);
        }
        return rc;
    }
}
