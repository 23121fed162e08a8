using System.Text;
using Aqs.Shared.Frames;

namespace Aqs.Shared.Tests.Quality.Infrastructure;

/// <summary>A test-only YUV4MPEG2 reader and writer (packed planar frames, as FFmpeg's yuv4mpegpipe writes them).</summary>
public static class Y4m
{
    public static string ColourTag(PixelFormat format) => format switch
    {
        PixelFormat.Yuv420p => "420jpeg",
        PixelFormat.Yuv422p => "422",
        PixelFormat.Yuv444p => "444",
        PixelFormat.Yuv420p10 => "420p10",
        PixelFormat.Yuv422p10 => "422p10",
        PixelFormat.Yuv444p10 => "444p10",
        PixelFormat.Yuv420p12 => "420p12",
        PixelFormat.Yuv422p12 => "422p12",
        PixelFormat.Yuv444p12 => "444p12",
        PixelFormat.Gray8 => "mono",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static void Write(string path, FrameLayout layout, IEnumerable<byte[]> frames)
    {
        using var stream = File.Create(path);
        var header = $"YUV4MPEG2 W{layout.Width} H{layout.Height} F25:1 Ip A1:1 C{ColourTag(layout.Format)}\n";
        stream.Write(Encoding.ASCII.GetBytes(header));
        var frameTag = Encoding.ASCII.GetBytes("FRAME\n");
        foreach (var frame in frames)
        {
            stream.Write(frameTag);
            stream.Write(frame, 0, layout.FrameSize);
        }
    }

    public static (FrameLayout Layout, List<byte[]> Frames) Read(string path)
    {
        using var reader = new Y4mReader(path);
        var frames = new List<byte[]>();
        while (reader.ReadFrame() is { } frame)
        {
            frames.Add(frame);
        }
        return (reader.Layout, frames);
    }

    internal static FrameLayout ReadHeader(Stream stream, string path)
    {
        var header = ReadLine(stream) ?? throw new InvalidDataException($"{path}: empty file");
        var tokens = header.Split(' ');
        if (tokens[0] != "YUV4MPEG2")
        {
            throw new InvalidDataException($"{path}: not a y4m file");
        }
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
        var format = colour switch
        {
            "420jpeg" or "420mpeg2" or "420paldv" or "420" => PixelFormat.Yuv420p,
            "422" => PixelFormat.Yuv422p,
            "444" => PixelFormat.Yuv444p,
            "420p10" => PixelFormat.Yuv420p10,
            "422p10" => PixelFormat.Yuv422p10,
            "444p10" => PixelFormat.Yuv444p10,
            "420p12" => PixelFormat.Yuv420p12,
            "422p12" => PixelFormat.Yuv422p12,
            "444p12" => PixelFormat.Yuv444p12,
            "mono" => PixelFormat.Gray8,
            _ => throw new InvalidDataException($"{path}: colour space C{colour} not supported"),
        };
        return new FrameLayout(width, height, format);
    }

    internal static string? ReadLine(Stream stream)
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

/// <summary>Reads a y4m file frame by frame.</summary>
public sealed class Y4mReader : IDisposable
{
    private readonly Stream _stream;
    private readonly string _path;

    public Y4mReader(string path)
    {
        _path = path;
        _stream = new BufferedStream(File.OpenRead(path), 1 << 20);
        Layout = Y4m.ReadHeader(_stream, path);
    }

    public FrameLayout Layout { get; }

    /// <summary>The next frame, or null at the end.</summary>
    public byte[]? ReadFrame()
    {
        var line = Y4m.ReadLine(_stream);
        if (line is null)
        {
            return null;
        }
        if (!line.StartsWith("FRAME", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{_path}: expected FRAME, got '{line}'");
        }
        var buffer = new byte[Layout.FrameSize];
        _stream.ReadExactly(buffer);
        return buffer;
    }

    public void Dispose() => _stream.Dispose();
}
