using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Tests.Sources;

/// <summary>The real clips in ../shared/data/clips (or $AQS_SHARED_DATA/clips), when present.</summary>
public class SharedClipTests
{
    private static string? ClipsDirectory()
    {
        var env = Environment.GetEnvironmentVariable("AQS_SHARED_DATA");
        if (env is not null)
        {
            return Directory.Exists(Path.Combine(env, "clips")) ? Path.Combine(env, "clips") : null;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aqs.Quad.sln")))
            {
                var clips = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "clips"));
                return Directory.Exists(clips) ? clips : null;
            }
        }
        return null;
    }

    [TestCase("sparks_ref_480x270.yuv42010le.y4m", 480, 270, 24.0)]
    [TestCase("yuv420p10_input.y4m", 640, 360, 25.0)]
    public void Shared_clip_reads_to_the_end_with_frames_filling_the_file(string name, int w, int h, double fps)
    {
        var path = ClipsDirectory() is { } dir ? Path.Combine(dir, name) : null;
        if (path is null || !File.Exists(path))
        {
            Assert.Ignore($"{name} not found under ../shared/data/clips (set AQS_SHARED_DATA)");
        }
        using var source = Y4mSource.Open(path);
        Assert.That((source.Layout, source.Fps), Is.EqualTo((new FrameLayout(w, h, PixelFormat.Yuv420p10), fps)));
        var buffer = new byte[source.Layout.FrameSize];
        var frames = 0;
        var maxSample = 0;
        while (source.TryReadFrame(buffer, out _))
        {
            frames++;
            for (var i = 0; i < buffer.Length; i += 2)
            {
                maxSample = Math.Max(maxSample, buffer[i] | buffer[i + 1] << 8);
            }
        }
        var headerLength = File.ReadAllBytes(path).AsSpan().IndexOf((byte)'\n') + 1;
        Assert.That(frames, Is.GreaterThan(0));
        Assert.That(headerLength + frames * (6L + source.Layout.FrameSize), Is.EqualTo(new FileInfo(path).Length));
        Assert.That(maxSample, Is.LessThan(1024), "10-bit samples must stay below 1024");
    }
}
