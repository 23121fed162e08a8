namespace Aqs.Orchestration.Tests.Infrastructure;

/// <summary>Writes a small real Y4M clip (4:2:0, 8-bit, moving gradient) for finite-input runs.</summary>
public static class Y4mFile
{
    public static string Write(string folder, int width, int height, int fps, int frames)
    {
        var path = Path.Combine(folder, $"clip-{width}x{height}-{frames}.y4m");
        using var file = File.Create(path);
        var header = System.Text.Encoding.ASCII.GetBytes($"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n");
        file.Write(header);
        var frame = new byte[width * height * 3 / 2];
        for (var n = 0; n < frames; n++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    frame[y * width + x] = (byte)(16 + (x + y + 3 * n) % 220);
                }
            }
            Array.Fill(frame, (byte)128, width * height, width * height / 2);
            file.Write("FRAME\n"u8);
            file.Write(frame);
        }
        return path;
    }
}
