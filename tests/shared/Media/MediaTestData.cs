using System.Buffers.Binary;
using System.Diagnostics;
using Aqs.Shared.Frames;

namespace Aqs.Shared.Tests.Media;

/// <summary>Synthetic pictures, PSNR and ffmpeg/ffprobe runs for the media tests.</summary>
internal static class MediaTestData
{
    /// <summary>A smooth moving gradient with a moving box: easy to compress, so PSNR floors are meaningful.</summary>
    public static byte[] Pattern(FrameLayout layout, int t)
    {
        var buffer = new byte[layout.FrameSize];
        var max = (1 << layout.Format.BitDepth()) - 1;
        for (var p = 0; p < layout.PlaneCount; p++)
        {
            var w = layout.PlaneWidth(p);
            var h = layout.PlaneHeight(p);
            var plane = buffer.AsSpan(layout.Offset(p), layout.PlaneSize(p));
            var sx = layout.Width / (double)w;
            var sy = layout.Height / (double)h;
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    var fx = x * sx;
                    var fy = y * sy;
                    double v = p == 0
                        ? 0.5 + 0.35 * Math.Sin((fx + 3 * t) / 23.0) * Math.Cos((fy - 2 * t) / 31.0)
                        : 0.5 + 0.2 * Math.Sin((fx * (p == 1 ? 1 : -1) + fy + 4 * t) / 40.0);
                    var boxX = (t * 5) % Math.Max(1, layout.Width - 40);
                    if (fx >= boxX && fx < boxX + 40 && fy >= 60 && fy < 100)
                    {
                        v = p == 0 ? 0.9 : 0.3;
                    }
                    Put(plane, layout, p, x, y, (int)Math.Round(v * max));
                }
            }
        }
        return buffer;
    }

    /// <summary>Random noise pictures (a fresh field per frame): hard content that makes encoders spend their whole budget.</summary>
    public static byte[] Noise(FrameLayout layout, int seed)
    {
        var buffer = new byte[layout.FrameSize];
        new Random(seed).NextBytes(buffer);
        if (layout.Format.BitDepth() > 8)
        {
            var mask = (1 << layout.Format.BitDepth()) - 1;
            for (var i = 0; i + 1 < buffer.Length; i += 2)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(i), (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(i)) & mask));
            }
        }
        return buffer;
    }

    private static void Put(Span<byte> plane, FrameLayout layout, int p, int x, int y, int value)
    {
        if (layout.Format.BytesPerSample() == 1)
        {
            plane[y * layout.Stride(p) + x] = (byte)value;
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(plane[(y * layout.Stride(p) + 2 * x)..], (ushort)value);
        }
    }

    /// <summary>PSNR of the luma plane of <paramref name="decoded"/> against packed <paramref name="reference"/>, in dB.</summary>
    public static double LumaPsnr(FrameLayout layout, ReadOnlySpan<byte> reference, in PlanarFrame decoded)
    {
        var max = (double)((1 << layout.Format.BitDepth()) - 1);
        var wide = layout.Format.BytesPerSample() == 2;
        double sum = 0;
        for (var y = 0; y < layout.Height; y++)
        {
            var a = reference.Slice(y * layout.Stride(0), layout.Stride(0));
            var b = decoded.Row(0, y);
            for (var x = 0; x < layout.Width; x++)
            {
                double d = wide
                    ? BinaryPrimitives.ReadUInt16LittleEndian(a[(2 * x)..]) - BinaryPrimitives.ReadUInt16LittleEndian(b[(2 * x)..])
                    : a[x] - b[x];
                sum += d * d;
            }
        }
        var mse = sum / ((double)layout.Width * layout.Height);
        return mse == 0 ? 100 : 10 * Math.Log10(max * max / mse);
    }

    /// <summary>Runs a tool (ffmpeg, ffprobe) and returns stdout; fails the test with its stderr on a non-zero exit.</summary>
    public static string Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            Assert.Fail($"{tool} did not finish in 60 s");
        }
        if (process.ExitCode != 0)
        {
            Assert.Fail($"{tool} {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
        }
        return stdout;
    }

    public static string TempPath(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "aqs-media-tests-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }
}
