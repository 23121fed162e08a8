using Aqs.Kernel.Display.Rendering;
using Aqs.Kernel.Display.Tests.Infrastructure;
using Aqs.Shared.Frames;
using Aqs.Shared.Media;
using Aqs.Shared.Tests.Media;

namespace Aqs.Kernel.Display.Tests.Rendering;

/// <summary>The Vulkan renderer (lavapipe here, any Vulkan device elsewhere) against plain CPU conversions.</summary>
[NonParallelizable]
public sealed class VulkanConverterTests
{
    private VulkanDevice _device = null!;
    private VulkanConverter _converter = null!;

    [OneTimeSetUp]
    public void Open()
    {
        _device = VulkanDevice.Create();
        _converter = new VulkanConverter(_device);
        TestContext.Out.WriteLine(_device.Description);
    }

    [OneTimeTearDown]
    public void Close()
    {
        _converter?.Dispose();
        _device?.Dispose();
    }

    private static readonly object[] Matrices = [new object[] { "601", YuvColor.Bt601 }, new object[] { "709", YuvColor.Bt709 }, new object[] { "2020", YuvColor.Bt2020 }];

    public static IEnumerable<TestCaseData> EveryFormatMatrixAndRange()
    {
        foreach (var format in PixelFormats.All)
        {
            foreach (object[] m in Matrices)
            {
                foreach (var full in new[] { false, true })
                {
                    yield return new TestCaseData(format, ((YuvColor)m[1]).WithFullRange(full)).SetArgDisplayNames(format.ToString(), (string)m[0], full ? "full" : "limited");
                }
            }
        }
    }

    [TestCaseSource(nameof(EveryFormatMatrixAndRange))]
    public void Rendered_RGB_of_known_YUV_equals_the_CPU_reference_within_1_LSB(PixelFormat format, YuvColor color)
    {
        var layout = new FrameLayout(37, 22, format); // odd sizes: chroma edges and a partial workgroup
        var frame = MediaTestData.Noise(layout, seed: (int)format);
        var rgba = Render(layout, frame, color, layout.Width, layout.Height, ScaleFilter.Bilinear);
        var expected = CpuRgbReference.ToRgb(layout, frame, color);
        AssertWithin(rgba, expected, layout.Width * layout.Height, 1);
    }

    [TestCase(ScaleFilter.Lanczos)]
    [TestCase(ScaleFilter.Bicubic)]
    [TestCase(ScaleFilter.Bilinear)]
    public void A_2x_upscale_of_a_known_pattern_matches_the_CPU_resampler_within_1_LSB(ScaleFilter filter)
    {
        var layout = new FrameLayout(64, 36, PixelFormat.Yuv420p);
        var frame = MediaTestData.Pattern(layout, 3);
        var rgba = Render(layout, frame, YuvColor.Bt709, 128, 72, filter);
        var expected = CpuRgbReference.Resample(CpuRgbReference.ToRgb(layout, frame, YuvColor.Bt709), 64, 36, 128, 72, filter);
        AssertWithin(rgba, expected, 128 * 72, 1);
    }

    [Test]
    public void A_Lanczos_2x_upscale_agrees_with_libswscale_to_within_3_LSB_on_most_pixels()
    {
        // libswscale resamples the YUV planes and then converts; we convert and then resample RGB. Stated tolerance:
        // 99 % of samples within 3 LSB, none beyond 24 (sharp pattern edges are where the two orders differ most).
        var layout = new FrameLayout(64, 36, PixelFormat.Yuv444p);
        var frame = MediaTestData.Pattern(layout, 5);
        var rgba = Render(layout, frame, YuvColor.Bt601, 128, 72, ScaleFilter.Lanczos);
        var upscaled = new FrameLayout(128, 72, PixelFormat.Yuv444p);
        var big = new byte[upscaled.FrameSize];
        using (var scaler = new VideoScaler(layout, upscaled, ScaleQuality.Lanczos))
        {
            scaler.Scale(PlanarFrame.FromPacked(layout, frame), big);
        }
        var expected = CpuRgbReference.ToRgb(upscaled, big, YuvColor.Bt601);
        var diffs = Diffs(rgba, expected, 128 * 72);
        Assert.That(diffs.Count(d => d <= 3) / (double)diffs.Length, Is.GreaterThanOrEqualTo(0.99));
        Assert.That(diffs.Max(), Is.LessThanOrEqualTo(24));
    }

    [Test]
    public void A_downscale_to_a_quarter_averages_instead_of_aliasing()
    {
        var layout = new FrameLayout(64, 64, PixelFormat.Gray8);
        var frame = new byte[layout.FrameSize];
        for (var i = 0; i < frame.Length; i++)
        {
            frame[i] = (byte)(((i % 64) + (i / 64)) % 2 == 0 ? 16 : 235); // one-pixel checkerboard
        }
        var rgba = Render(layout, frame, YuvColor.Bt709, 16, 16, ScaleFilter.Bilinear);
        for (var i = 0; i < 16 * 16; i++)
        {
            Assert.That(rgba[i * 4], Is.InRange(120, 135), "mid grey, not black or white");
        }
    }

    private byte[] Render(FrameLayout layout, byte[] frame, YuvColor color, int width, int height, ScaleFilter filter)
    {
        _converter.Convert(frame, layout, color, width, height, filter);
        var rgba = new byte[width * height * 4];
        _converter.ReadBack(rgba);
        return rgba;
    }

    private static int[] Diffs(byte[] rgba, double[] expected, int pixels)
    {
        var diffs = new int[pixels * 3];
        for (var p = 0; p < pixels; p++)
        {
            for (var c = 0; c < 3; c++)
            {
                diffs[p * 3 + c] = Math.Abs(rgba[p * 4 + c] - CpuRgbReference.To8Bit(expected[p * 3 + c]));
            }
        }
        return diffs;
    }

    private static void AssertWithin(byte[] rgba, double[] expected, int pixels, int lsb)
    {
        var diffs = Diffs(rgba, expected, pixels);
        var worst = Array.IndexOf(diffs, diffs.Max());
        Assert.That(diffs.Max(), Is.LessThanOrEqualTo(lsb), $"worst at pixel {worst / 3} channel {worst % 3}");
        Assert.That(rgba.Where((_, i) => i % 4 == 3), Is.All.EqualTo(255), "opaque");
    }
}
