using System.Text;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Preprocess.Tests.Sources;

/// <summary>Makes Y4M and raw files for tests in a per-fixture temporary folder.</summary>
internal sealed class TestFiles : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "aqs-sources-" + Guid.NewGuid().ToString("N"));

    public TestFiles()
    {
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Path_(string name) => Path.Combine(Directory, name);

    public string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Frame <paramref name="index"/>'s bytes: a pattern that differs per frame and per byte.</summary>
    public static byte[] Pattern(FrameLayout layout, int index)
    {
        var bytes = new byte[layout.FrameSize];
        var max = (1 << layout.Format.BitDepth()) - 1;
        if (layout.Format.BytesPerSample() == 1)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)(i * 7 + index * 31);
            }
        }
        else
        {
            for (var i = 0; i < bytes.Length / 2; i++)
            {
                var v = (ushort)((i * 13 + index * 101) & max);
                bytes[2 * i] = (byte)v;
                bytes[2 * i + 1] = (byte)(v >> 8);
            }
        }
        return bytes;
    }

    /// <summary>A whole Y4M file: header, then "FRAME" + <paramref name="frameParams"/> and the pattern for each frame.</summary>
    public static byte[] Y4m(string header, FrameLayout layout, int frames, string frameParams = "")
    {
        var ms = new MemoryStream();
        ms.Write(Encoding.ASCII.GetBytes(header + "\n"));
        for (var f = 0; f < frames; f++)
        {
            ms.Write(Encoding.ASCII.GetBytes("FRAME" + frameParams + "\n"));
            ms.Write(Pattern(layout, f));
        }
        return ms.ToArray();
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, true);
        }
        catch (IOException)
        {
        }
    }
}
