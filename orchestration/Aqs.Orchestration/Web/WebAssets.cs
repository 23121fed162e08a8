namespace Aqs.Orchestration.Web;

/// <summary>
/// Where the live page's browser libraries are: <c>orchestration/web/node_modules</c>, installed from npm by
/// <c>orchestration/aqs setup</c> (never copied into the repository), or <c>AQS_WEB_ASSETS</c> (a folder holding
/// <c>uplot/dist/</c>, for a published layout such as the container image).
/// </summary>
public static class WebAssets
{
    public static string? UplotDirectory()
    {
        if (Environment.GetEnvironmentVariable("AQS_WEB_ASSETS") is { Length: > 0 } assets)
        {
            var dist = Path.Combine(assets, "uplot", "dist");
            return Directory.Exists(dist) ? dist : null;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var dist = Path.Combine(dir.FullName, "orchestration", "web", "node_modules", "uplot", "dist");
            if (Directory.Exists(dist))
            {
                return dist;
            }
        }
        return null;
    }
}
