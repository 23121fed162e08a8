using System.Globalization;
using Aqs.Shared.Cli;
using Aqs.Shared.Frames;
using Aqs.Shared.Media;

namespace Aqs.Shared.Tests.Media;

public class MediaFileTests
{
    private static void RequireEncoder(string name)
    {
        if (EncoderCatalog.Available().All(e => e.Name != name))
        {
            Assert.Ignore($"{name} not available on this machine");
        }
    }

    [TestCase("libx264", ".mkv", "h264")]
    [TestCase("libx264", ".mp4", "h264")]
    [TestCase("libx264", ".h264", "h264")]
    [TestCase("libx265", ".mp4", "hevc")]
    [TestCase("libx265", ".hevc", "hevc")]
    [TestCase("libaom-av1", ".ivf", "av1")]
    [TestCase("libaom-av1", ".mkv", "av1")]
    [TestCase("libsvtav1", ".mkv", "av1")]
    [TestCase("libaom-av1", ".mp4", "av1")]
    [TestCase("libaom-av1", ".obu", "av1")]
    public void Written_file_is_accepted_by_ffprobe(string encoderName, string extension, string codecName)
    {
        RequireEncoder(encoderName);
        const int frames = 30;
        var layout = new FrameLayout(320, 240, PixelFormat.Yuv420p);
        var path = MediaTestData.TempPath($"written-{encoderName}{extension}");
        // Containers carry the headers as extradata; raw elementary streams carry them in-band.
        var container = extension is ".mkv" or ".mp4";
        using (var encoder = VideoEncoder.Open(new EncoderSettings(encoderName, 320, 240, PixelFormat.Yuv420p, 30, 1, 800_000) { GlobalHeader = container }))
        using (var writer = MediaFileWriter.Create(path, encoder.Codec, 320, 240, 30, 1, encoder.Extradata))
        {
            for (var t = 0; t < frames; t++)
            {
                encoder.Send(PlanarFrame.FromPacked(layout, MediaTestData.Pattern(layout, t)), t);
                while (encoder.TryReceive(out var packet))
                {
                    writer.Write(packet);
                }
            }
            encoder.Flush();
            while (encoder.TryReceive(out var packet))
            {
                writer.Write(packet);
            }
            Assert.That(writer.PacketsWritten, Is.EqualTo(frames));
        }
        var probe = MediaTestData.Run("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
            "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-show_entries", "format=duration",
            "-of", "default=noprint_wrappers=1", path);
        var fields = probe.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);
        Assert.Multiple(() =>
        {
            Assert.That(fields["codec_name"], Is.EqualTo(codecName));
            Assert.That(fields["width"], Is.EqualTo("320"));
            Assert.That(fields["height"], Is.EqualTo("240"));
            Assert.That(fields["nb_read_frames"], Is.EqualTo(frames.ToString(CultureInfo.InvariantCulture)));
            if (extension is ".mkv" or ".mp4" or ".ivf")
            {
                // Raw H.264/HEVC/OBU streams have no timing of their own; containers and IVF must say 1 s.
                Assert.That(double.Parse(fields["duration"], CultureInfo.InvariantCulture), Is.EqualTo(1.0).Within(0.05));
            }
        });
    }

    [Test]
    public void Reader_returns_every_frame_of_an_ffmpeg_file_with_true_timestamps()
    {
        var path = MediaTestData.TempPath("ffmpeg-made.mp4");
        MediaTestData.Run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "2",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", path);
        using var reader = MediaFileReader.Open(path);
        Assert.That(reader.Layout, Is.EqualTo(new FrameLayout(320, 240, PixelFormat.Yuv420p)));
        Assert.That(reader.Fps, Is.EqualTo(25.0).Within(1e-9));
        var times = new List<long>();
        while (reader.TryReadFrame(out var frame))
        {
            Assert.That(frame.View.Layout, Is.EqualTo(reader.Layout));
            times.Add(frame.PtsNs);
        }
        Assert.That(times, Has.Count.EqualTo(50));
        Assert.That(times, Is.EqualTo(Enumerable.Range(0, 50).Select(i => i * 40_000_000L)).AsCollection);
    }

    [Test]
    public void Reader_converts_a_format_we_do_not_carry_to_the_nearest_one()
    {
        var path = MediaTestData.TempPath("nv12.mkv");
        MediaTestData.Run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10", "-frames:v", "5",
            "-c:v", "rawvideo", "-pix_fmt", "nv12", path);
        using var reader = MediaFileReader.Open(path);
        Assert.That(reader.Layout.Format, Is.EqualTo(PixelFormat.Yuv420p));
        var count = 0;
        while (reader.TryReadFrame(out var frame))
        {
            Assert.That(frame.View.Layout, Is.EqualTo(new FrameLayout(160, 120, PixelFormat.Yuv420p)));
            count++;
        }
        Assert.That(count, Is.EqualTo(5));
    }

    [Test]
    public void Reader_gives_one_line_error_for_a_missing_file()
    {
        var e = Assert.Throws<UserFacingException>(() => MediaFileReader.Open("/nonexistent/clip.mkv"))!;
        Assert.That(e.Message, Does.Contain("/nonexistent/clip.mkv").And.Not.Contain("\n"));
    }

    [Test]
    public void Writer_refuses_an_unknown_extension_listing_the_supported_ones()
    {
        var e = Assert.Throws<UserFacingException>(() => MediaFileWriter.Create(MediaTestData.TempPath("x.avi"), VideoCodec.H264, 320, 240, 30, 1))!;
        Assert.That(e.Message, Does.Contain(".mkv").And.Contain(".ivf").And.Not.Contain("\n"));
    }
}
