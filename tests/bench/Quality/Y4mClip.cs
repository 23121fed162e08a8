using System.Text;
using Aqs.Shared.Frames;

namespace Aqs.Bench.Quality;

/// <summary>A y4m clip loaded whole into memory (bench-only reader; 8-bit 4:2:0 and the other formats FFmpeg writes).</summary>
public sealed class Y4mClip
{
    private Y4mClip(FrameLayout layout, List<byte[]> frames)
    {
        Layout = layout;
        Frames = frames;
    }

    public FrameLayout Layout { get; }

    public List<byte[]> Frames { get; }

    public static Y4mClip Load(string path)
    {
        using var stream = new BufferedStream(File.OpenRead(path), 1 << 20);
        var tokens = ReadLine(stream)!.Split(' ');
        int width = 0, height = 0;
        var colour = "420jpeg";
        foreach (var t in tokens.Skip(1))
        {
            switch (t[0])
            {
                case 'W': width = int.Parse(t[1..]); break;
                case 'H': height = int.Parse(t[1..]); break;
                case 'C': colour = t[1..]; break;
            }
        }
        var format = colour is "420jpeg" or "420mpeg2" or "420paldv" or "420"
            ? PixelFormat.Yuv420p
            : throw new InvalidDataException($"{path}: bench expects 8-bit 4:2:0 y4m, got C{colour}");
        var layout = new FrameLayout(width, height, format);
        var frames = new List<byte[]>();
        while (ReadLine(stream) is { } line && line.StartsWith("FRAME", StringComparison.Ordinal))
        {
            var frame = new byte[layout.FrameSize];
            stream.ReadExactly(frame);
            frames.Add(frame);
        }
        return new Y4mClip(layout, frames);
    }

    private static string? ReadLine(Stream stream)
    {
        var sb = new StringBuilder();
        int c;
        while ((c = stream.ReadByte()) >= 0 && c != '\n')
        {
            sb.Append((char)c);
        }
        return c < 0 && sb.Length == 0 ? null : sb.ToString();
    }
}
