using Aqs.Kernel.Display.Pictures;
using Aqs.Kernel.Display.Rendering;
using Aqs.Kernel.Display.Tests.Infrastructure;
using Aqs.Shared.Frames;
using Aqs.Shared.Tests.Media;

namespace Aqs.Kernel.Display.Tests.Rendering;

[NonParallelizable]
public sealed class VulkanRendererTests
{
    private static readonly FrameLayout Layout = new(160, 90, PixelFormat.Yuv420p);

    private static Picture Known()
    {
        var picture = Picture.Standalone(Layout);
        MediaTestData.Pattern(Layout, 9).CopyTo(picture.Data, 0);
        picture.FrameId = 42;
        picture.Color = ColorDescription.Bt709Limited;
        return picture;
    }

    [Test]
    public void A_window_under_Xvfb_shows_the_picture_the_headless_renderer_makes()
    {
        using var xvfb = Xvfb.Start(320, 200);
        var picture = Known();
        byte[] headless;
        using (var offscreen = VulkanRenderer.Create(new RenderSettings(), () => null, _ => { }, (Layout.Width, Layout.Height)))
        {
            offscreen.Render(picture);
            headless = offscreen.ReadBack(out var w, out var h);
            Assert.That((w, h), Is.EqualTo((Layout.Width, Layout.Height)));
        }
        using var windowed = VulkanRenderer.Create(new RenderSettings { Window = true, XDisplay = xvfb.Display }, () => null, _ => { }, (Layout.Width, Layout.Height));
        Assert.That(windowed.Offscreen, Is.False);
        for (var i = 0; i < 3; i++) // FIFO: a few presents so the first picture is surely on screen
        {
            windowed.Render(picture);
        }
        var screen = xvfb.Screenshot(Layout.Width, Layout.Height);

        var worst = 0;
        for (var i = 0; i < Layout.Width * Layout.Height * 4; i++)
        {
            if (i % 4 != 3)
            {
                worst = Math.Max(worst, Math.Abs(screen[i] - headless[i]));
            }
        }
        Assert.That(worst, Is.LessThanOrEqualTo(1), "the screen shows what the headless renderer made");
        Assert.That(screen.Where((_, i) => i % 4 == 1).Distinct().Count(), Is.GreaterThan(10), "and it is the pattern, not a flat colour");
    }

    [Test]
    public void Snapshots_are_PNGs_that_decode_to_exactly_what_was_rendered()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"aqs-snapshots-{Environment.ProcessId}");
        try
        {
            using var renderer = VulkanRenderer.Create(new RenderSettings { SnapshotEvery = 2, SnapshotDirectory = dir, Size = (320, 180), Filter = ScaleFilter.Lanczos },
                () => null, _ => { }, (0, 0));
            var picture = Known();
            for (var i = 0; i < 5; i++)
            {
                picture.FrameId = 100 + i;
                renderer.Render(picture);
            }
            var rendered = renderer.ReadBack(out var width, out var height);

            Assert.That(renderer.Snapshots.Select(Path.GetFileName), Is.EqualTo(new[] { "frame-0000100.png", "frame-0000102.png", "frame-0000104.png" }));
            var png = SnapshotWriter.Read(renderer.Snapshots[^1], out var pw, out var ph);
            Assert.That((pw, ph), Is.EqualTo((width, height)));
            Assert.That((pw, ph), Is.EqualTo((320, 180)), "a 2x Lanczos upscale of the 160x90 picture");
            Assert.That(png, Is.EqualTo(rendered));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, true);
            }
        }
    }

    [Test]
    public void A_render_size_over_4x_the_picture_is_held_to_4x_and_said_once()
    {
        var said = new List<string>();
        using var renderer = VulkanRenderer.Create(new RenderSettings { Size = (1280, 720) }, () => null, said.Add, (0, 0));
        renderer.Render(Known());
        renderer.Render(Known());
        renderer.ReadBack(out var width, out var height);
        Assert.That((width, height), Is.EqualTo((640, 360)));
        Assert.That(said, Has.Count.EqualTo(1).And.Some.Contains("4x"));
    }
}
