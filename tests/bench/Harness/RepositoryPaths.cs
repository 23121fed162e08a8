namespace Aqs.Bench.Harness;

/// <summary>Finds the repository root (where Aqs.Quad.sln is) and the optional ../shared/data beside it.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Results => Path.Combine(Root, "tests", "bench", "results");

    public static string? SharedData
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("AQS_SHARED_DATA");
            var candidate = fromEnv ?? Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));
            return Directory.Exists(candidate) ? candidate : null;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aqs.Quad.sln")))
            {
                return dir.FullName;
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
