using System.Diagnostics;
using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Tests.Sources;

/// <summary>Our Y4M reader against the real ffmpeg CLI: ffmpeg writes a Y4M, converts it to raw, and the bytes must agree.</summary>
public class FfmpegCrossCheckTests
{
    private static readonly Lazy<bool> FfmpegPresent = new(ProbeFfmpeg);

    private static bool HasFfmpeg() => FfmpegPresent.Value;

    private static bool ProbeFfmpeg()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("ffmpeg", "-hide_banner -version") { RedirectStandardOutput = true, RedirectStandardError = true });
            p!.WaitForExit(10_000);
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static void Ffmpeg(string args)
    {
        var psi = new ProcessStartInfo("ffmpeg", "-hide_banner -loglevel error -nostdin -y " + args) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        Assert.That(p.WaitForExit(60_000), Is.True, "ffmpeg hung");
        Assert.That(p.ExitCode, Is.Zero, "ffmpeg " + args + ": " + err.Result);
    }

    [TestCase("yuv420p", "", 64, 36, PixelFormat.Yuv420p, "420jpeg")]
    [TestCase("yuv422p", "", 64, 36, PixelFormat.Yuv422p, "422")]
    [TestCase("yuv444p", "", 48, 32, PixelFormat.Yuv444p, "444")]
    [TestCase("yuv420p10le", "-strict -1", 66, 38, PixelFormat.Yuv420p10, "420p10")]
    [TestCase("yuv422p10le", "-strict -1", 64, 36, PixelFormat.Yuv422p10, "422p10")]
    [TestCase("yuv444p12le", "-strict -1", 32, 18, PixelFormat.Yuv444p12, "444p12")]
    [TestCase("yuv420p12le", "-strict -1", 34, 18, PixelFormat.Yuv420p12, "420p12")] // chroma 17x9: odd plane sizes
    [TestCase("gray", "-strict -1", 40, 24, PixelFormat.Gray8, "mono")]
    public void Y4m_reader_matches_ffmpeg_raw_output(string pixFmt, string strict, int w, int h, PixelFormat expected, string tag)
    {
        if (!HasFfmpeg())
        {
            Assert.Ignore("ffmpeg is not on PATH");
        }
        using var files = new TestFiles();
        var y4m = files.Path_("t.y4m");
        var raw = files.Path_("t.yuv");
        Ffmpeg($"-f lavfi -i testsrc2=size={w}x{h}:rate=30 -frames:v 5 -pix_fmt {pixFmt} {strict} -color_range tv \"{y4m}\"");
        Ffmpeg($"-i \"{y4m}\" -f rawvideo -pix_fmt {pixFmt} \"{raw}\"");
        var expectedBytes = File.ReadAllBytes(raw);

        using var source = Y4mSource.Open(y4m);
        Assert.That(source.Layout, Is.EqualTo(new FrameLayout(w, h, expected)));
        Assert.That(source.Header.ColorspaceTag, Is.EqualTo(tag));
        Assert.That(source.Fps, Is.EqualTo(30));
        var ours = new MemoryStream();
        var buffer = new byte[source.Layout.FrameSize];
        while (source.TryReadFrame(buffer, out _))
        {
            ours.Write(buffer);
        }
        Assert.That(ours.Length, Is.EqualTo(5L * source.Layout.FrameSize));
        Assert.That(ours.ToArray().SequenceEqual(expectedBytes), Is.True, "bytes differ from ffmpeg's raw output");
    }

    [Test]
    public void Y4m_full_range_tag_written_by_ffmpeg_is_read()
    {
        if (!HasFfmpeg())
        {
            Assert.Ignore("ffmpeg is not on PATH");
        }
        using var files = new TestFiles();
        var y4m = files.Path_("pc.y4m");
        Ffmpeg($"-f lavfi -i testsrc2=size=32x32:rate=25 -frames:v 1 -pix_fmt yuv420p -color_range pc \"{y4m}\"");
        using var source = Y4mSource.Open(y4m);
        Assert.That(source.Color.Range, Is.EqualTo(ColorDescription.RangeFull));
    }

    [Test]
    public void Synthetic_frames_written_as_y4m_are_decoded_by_ffmpeg_unchanged()
    {
        if (!HasFfmpeg())
        {
            Assert.Ignore("ffmpeg is not on PATH");
        }
        using var files = new TestFiles();
        using var s = new SyntheticSource(new SyntheticOptions { Width = 48, Height = 32, BitDepth = 10, Fps = 30 });
        var y4m = files.Path_("syn.y4m");
        var raw = files.Path_("syn.yuv");
        var buffer = new byte[s.Layout.FrameSize];
        var expected = new MemoryStream();
        using (var f = File.Create(y4m))
        {
            f.Write("YUV4MPEG2 W48 H32 F30:1 Ip A1:1 C420p10 XCOLORRANGE=LIMITED\n"u8);
            for (var i = 0; i < 3; i++)
            {
                s.TryReadFrame(buffer, out _);
                f.Write("FRAME\n"u8);
                f.Write(buffer);
                expected.Write(buffer);
            }
        }
        Ffmpeg($"-i \"{y4m}\" -f rawvideo -pix_fmt yuv420p10le \"{raw}\"");
        Assert.That(File.ReadAllBytes(raw).SequenceEqual(expected.ToArray()), Is.True);
    }
}
