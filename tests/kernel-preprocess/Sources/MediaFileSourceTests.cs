using System.Diagnostics;
using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Tests.Sources;

public class MediaFileSourceTests
{
    [Test]
    [CancelAfter(60_000)]
    public void Container_input_gives_frames_and_the_streams_colour_description()
    {
        var path = Path.Combine(Path.GetTempPath(), $"aqs-mfs-{Guid.NewGuid():N}.mp4");
        try
        {
            var info = new ProcessStartInfo("ffmpeg", $"-hide_banner -loglevel error -y -f lavfi -i testsrc2=size=176x144:rate=25 -frames:v 10 -c:v libx264 -pix_fmt yuv420p -color_range pc -color_primaries bt709 -color_trc bt709 -colorspace bt709 {path}")
            {
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using (var ffmpeg = Process.Start(info)!)
            {
                var error = ffmpeg.StandardError.ReadToEnd();
                ffmpeg.WaitForExit();
                Assert.That(ffmpeg.ExitCode, Is.Zero, error);
            }
            using var source = MediaFileSource.Open(path, new SourceOpenOptions());
            var buffer = new byte[source.Layout.FrameSize];
            var frames = 0;
            while (source.TryReadFrame(buffer, out _))
            {
                frames++;
            }

            Assert.Multiple(() =>
            {
                Assert.That(frames, Is.EqualTo(10));
                Assert.That(source.Layout, Is.EqualTo(new FrameLayout(176, 144, PixelFormat.Yuv420p)));
                Assert.That(source.Color, Is.EqualTo(new ColorDescription(ColorDescription.RangeFull, 1, 1, 1)));
            });
        }
        finally
        {
            File.Delete(path);
        }
    }
}
