namespace Aqs.Shared.Tests.Quality.Infrastructure;

/// <summary>Finds the repository root, and ../shared/data beside it (or AQS_SHARED_DATA).</summary>
public static class SharedData
{
    /// <summary>The folder holding Aqs.Quad.sln, above the test binaries; null when run from elsewhere.</summary>
    public static string? RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Aqs.Quad.sln")))
                {
                    return dir.FullName;
                }
            }
            return null;
        }
    }

    public static string? Directory
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("AQS_SHARED_DATA");
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return System.IO.Directory.Exists(fromEnv) ? fromEnv : null;
            }
            var root = RepositoryRoot;
            var candidate = root is null ? null : System.IO.Path.GetFullPath(System.IO.Path.Combine(root, "..", "shared", "data"));
            return candidate is not null && System.IO.Directory.Exists(candidate) ? candidate : null;
        }
    }

    public static string QualityReferenceOrIgnore()
    {
        var data = Directory;
        var path = data is null ? null : System.IO.Path.Combine(data, "quality-reference");
        if (path is null || !File.Exists(System.IO.Path.Combine(path, "expected.json")))
        {
            Assert.Ignore("../shared/data/quality-reference absent (set AQS_SHARED_DATA): reference-pair checks skipped");
        }
        return path!;
    }
}
