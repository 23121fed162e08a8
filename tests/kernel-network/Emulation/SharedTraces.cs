using Aqs.Kernel.Network.Emulation;

namespace Aqs.Kernel.Network.Tests.Emulation;

/// <summary>Finds the recorded Mahimahi traces in ../shared/data/traces (or $AQS_SHARED_DATA/traces); tests skip without them.</summary>
internal static class SharedTraces
{
    public static string? Directory
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("AQS_SHARED_DATA");
            if (env is not null)
            {
                var fromEnv = Path.Combine(env, "traces");
                return System.IO.Directory.Exists(fromEnv) ? fromEnv : null;
            }
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Aqs.Quad.sln")))
                {
                    var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "traces"));
                    return System.IO.Directory.Exists(candidate) ? candidate : null;
                }
            }
            return null;
        }
    }

    public static MahimahiTrace LoadOrIgnore(string name)
    {
        var dir = Directory;
        if (dir is null || !File.Exists(Path.Combine(dir, name)))
        {
            Assert.Ignore($"trace {name} not found under ../shared/data/traces (set AQS_SHARED_DATA); skipped");
        }
        return MahimahiTrace.Load(Path.Combine(dir!, name));
    }
}
