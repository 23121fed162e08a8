using System.Diagnostics;
using System.Globalization;
using System.Text;
using Aqs.Bench.Harness;
using Aqs.Shared.Frames;
using Aqs.Shared.Media;

namespace Aqs.Bench.Media;

/// <summary>
/// Our libx264 encoder and h264 decoder against the <c>ffmpeg</c> command line with the same settings, on the
/// same 1080p 8-bit y4m clip, in the same run. Both sides read the y4m from disk and write their output.
/// </summary>
public sealed class MediaBench : IBenchSuite
{
    public string Name => "media";

    public string Description => "libx264 encode and h264 decode through our bindings vs the ffmpeg CLI (fps ratio, size ratio)";

    private const long Bitrate = 8_000_000;

    public int Run(BenchReport report, BenchOptions options)
    {
        var dir = Path.Combine(Path.GetTempPath(), "aqs-media-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        try
        {
            var seconds = options.Quick ? 0.5 : 3;
            var rounds = options.Quick ? 1 : 3;
            var threads = Environment.ProcessorCount;
            var clip = Path.Combine(dir, "clip.y4m");
            var source = MakeClip(clip, seconds, options.DataDirectory);
            var (layout, frames) = Y4m.Probe(clip);
            report.Section("Encode: libx264 1080p 8-bit",
                $"Clip: {source}, {frames} frames {layout}. Settings on both sides: libx264 preset veryfast, tune zerolatency, " +
                $"{Bitrate / 1_000_000} Mbit/s (maxrate = bitrate, bufsize 1 s), threads {threads}, y4m in, raw H.264 out. Best of {rounds} rounds each, " +
                "wall time including encoder open, reading and writing; ffmpeg's includes its process start.");
            double bestOurs = double.MaxValue, bestTheirs = double.MaxValue;
            long ourBytes = 0, theirBytes = 0;
            var ourOut = Path.Combine(dir, "ours.h264");
            var theirOut = Path.Combine(dir, "ffmpeg.h264");
            for (var r = 0; r < rounds; r++)
            {
                var t = Stopwatch.StartNew();
                ourBytes = EncodeOurs(clip, ourOut, threads);
                bestOurs = Math.Min(bestOurs, t.Elapsed.TotalSeconds);
                t.Restart();
                Ffmpeg("-y", "-i", clip, "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-b:v", Bitrate.ToString(CultureInfo.InvariantCulture),
                    "-maxrate", Bitrate.ToString(CultureInfo.InvariantCulture), "-bufsize", Bitrate.ToString(CultureInfo.InvariantCulture),
                    "-forced-idr", "1", "-threads", threads.ToString(CultureInfo.InvariantCulture), "-f", "h264", theirOut);
                bestTheirs = Math.Min(bestTheirs, t.Elapsed.TotalSeconds);
                theirBytes = new FileInfo(theirOut).Length;
            }
            report.Table("side", "fps", "output bytes");
            report.Row("ffmpeg CLI (baseline)", frames / bestTheirs, theirBytes);
            report.Row("VideoEncoder", frames / bestOurs, ourBytes);
            report.Note($"**encode fps ratio ours/ffmpeg = {bestTheirs / bestOurs:F3}** (goal >= 0.97); **size ratio = {ourBytes / (double)theirBytes:F4}** (goal within 1 %).");

            report.Section("Decode: h264 1080p",
                $"Input: the raw H.264 ffmpeg wrote above. Ours: VideoDecoder (slice threads, {threads}) fed packets from memory, and MediaFileReader " +
                $"(demux + decode, automatic threads) on the file. Baselines: `ffmpeg -threads {threads} -thread_type slice -i x.h264 -f null -` and " +
                "`ffmpeg -i x.h264 -f null -`. Best of the rounds.");
            var packets = SplitPackets(theirOut);
            double bestDec = double.MaxValue, bestDecCli = double.MaxValue, bestRead = double.MaxValue, bestReadCli = double.MaxValue;
            long decoded = 0, read = 0;
            for (var r = 0; r < rounds; r++)
            {
                var t = Stopwatch.StartNew();
                decoded = DecodeOurs(packets, threads);
                bestDec = Math.Min(bestDec, t.Elapsed.TotalSeconds);
                t.Restart();
                Ffmpeg("-threads", threads.ToString(CultureInfo.InvariantCulture), "-thread_type", "slice", "-i", theirOut, "-f", "null", "-");
                bestDecCli = Math.Min(bestDecCli, t.Elapsed.TotalSeconds);
                t.Restart();
                read = ReadOurs(theirOut);
                bestRead = Math.Min(bestRead, t.Elapsed.TotalSeconds);
                t.Restart();
                Ffmpeg("-i", theirOut, "-f", "null", "-");
                bestReadCli = Math.Min(bestReadCli, t.Elapsed.TotalSeconds);
            }
            report.Table("side", "frames", "fps");
            report.Row("ffmpeg CLI, slice threads (baseline)", frames, frames / bestDecCli);
            report.Row("VideoDecoder, slice threads", decoded, decoded / bestDec);
            report.Row("ffmpeg CLI, default threads (baseline)", frames, frames / bestReadCli);
            report.Row("MediaFileReader, default threads", read, read / bestRead);
            report.Note($"**decode fps ratio VideoDecoder/ffmpeg = {bestDecCli / bestDec * decoded / frames:F3}**; " +
                $"**MediaFileReader/ffmpeg = {bestReadCli / bestRead * read / frames:F3}**.");
            return decoded == frames && read == frames ? 0 : 1;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string MakeClip(string clip, double seconds, string? dataDirectory)
    {
        var duration = seconds.ToString(CultureInfo.InvariantCulture);
        var real = dataDirectory is null ? null : Path.Combine(dataDirectory, "clips", "bigbuckbunny.mp4");
        if (real is not null && File.Exists(real))
        {
            Ffmpeg("-y", "-i", real, "-t", duration, "-vf", "scale=1920:1080", "-pix_fmt", "yuv420p", "-r", "60", clip);
            return "../shared/data/clips/bigbuckbunny.mp4 scaled to 1920x1080 at 60 fps";
        }
        Ffmpeg("-y", "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=60", "-t", duration, "-pix_fmt", "yuv420p", clip);
        return "synthetic lavfi testsrc2 1920x1080 60 fps";
    }

    private static long EncodeOurs(string clip, string output, int threads)
    {
        using var y4m = new Y4m(clip);
        var layout = y4m.Layout;
        using var encoder = VideoEncoder.Open(new EncoderSettings("libx264", layout.Width, layout.Height, layout.Format, y4m.FpsNum, y4m.FpsDen, Bitrate)
        {
            Preset = "veryfast", LowLatency = true, Threads = threads,
        });
        using var file = new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        var buffer = new byte[layout.FrameSize];
        long pts = 0, bytes = 0;
        while (y4m.ReadFrame(buffer))
        {
            encoder.Send(PlanarFrame.FromPacked(layout, buffer), pts++);
            while (encoder.TryReceive(out var packet))
            {
                file.Write(packet.Data);
                bytes += packet.Data.Length;
            }
        }
        encoder.Flush();
        while (encoder.TryReceive(out var packet))
        {
            file.Write(packet.Data);
            bytes += packet.Data.Length;
        }
        return bytes;
    }

    /// <summary>
    /// Cuts the raw H.264 file into access units, as a demuxer's parser would: a new one starts at a slice with
    /// first_mb_in_slice == 0 or at SPS/PPS/SEI/AUD after a slice. Done before timing so the decode figure is the decoder's.
    /// </summary>
    private static List<byte[]> SplitPackets(string theirOut)
    {
        var data = File.ReadAllBytes(theirOut);
        var starts = new List<int>();
        var seenVcl = false;
        for (var i = 0; i + 4 < data.Length; i++)
        {
            if (data[i] != 0 || data[i + 1] != 0 || data[i + 2] != 1)
            {
                continue;
            }
            var nalStart = i > 0 && data[i - 1] == 0 ? i - 1 : i;
            var type = data[i + 3] & 0x1f;
            var vcl = type is 1 or 5;
            var firstMbZero = vcl && (data[i + 4] & 0x80) != 0; // ue(v) first_mb_in_slice == 0 starts with bit 1
            if ((type is 7 or 8 or 6 or 9 && seenVcl) || (firstMbZero && seenVcl))
            {
                starts.Add(nalStart);
                seenVcl = false;
            }
            if (vcl)
            {
                seenVcl = true;
            }
            i += 2;
        }
        var packets = new List<byte[]>();
        var previous = 0;
        foreach (var s in starts)
        {
            packets.Add(data[previous..s]);
            previous = s;
        }
        packets.Add(data[previous..]);
        return packets;
    }

    private static long DecodeOurs(List<byte[]> packets, int threads)
    {
        using var decoder = VideoDecoder.Open(VideoCodec.H264, threads);
        long pts = 0;
        foreach (var packet in packets)
        {
            decoder.Send(packet, pts++);
            while (decoder.TryReceive(out _))
            {
            }
        }
        decoder.Drain();
        while (decoder.TryReceive(out _))
        {
        }
        return decoder.FramesDecoded;
    }

    private static long ReadOurs(string path)
    {
        using var reader = MediaFileReader.Open(path);
        while (reader.TryReadFrame(out _))
        {
        }
        return reader.FramesRead;
    }

    private static void Ffmpeg(params string[] args)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-v");
        start.ArgumentList.Add("error");
        start.ArgumentList.Add("-nostdin");
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start ffmpeg");
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg {string.Join(' ', args)} failed ({process.ExitCode}): {stderr}");
        }
    }
}

/// <summary>Minimal 8-bit 4:2:0 YUV4MPEG2 reader for the bench clip (ffmpeg writes it: "YUV4MPEG2 W.. H.. F..:.. ... C420jpeg").</summary>
internal sealed class Y4m : IDisposable
{
    private readonly FileStream _file;

    public FrameLayout Layout { get; }
    public int FpsNum { get; }
    public int FpsDen { get; }

    public Y4m(string path)
    {
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        var header = ReadLine();
        int w = 0, h = 0, num = 0, den = 1;
        foreach (var token in header.Split(' '))
        {
            switch (token[0])
            {
                case 'W': w = int.Parse(token[1..], CultureInfo.InvariantCulture); break;
                case 'H': h = int.Parse(token[1..], CultureInfo.InvariantCulture); break;
                case 'F':
                    var parts = token[1..].Split(':');
                    num = int.Parse(parts[0], CultureInfo.InvariantCulture);
                    den = int.Parse(parts[1], CultureInfo.InvariantCulture);
                    break;
            }
        }
        Layout = new FrameLayout(w, h, PixelFormat.Yuv420p);
        FpsNum = num;
        FpsDen = den;
    }

    public static (FrameLayout Layout, long Frames) Probe(string path)
    {
        using var y4m = new Y4m(path);
        var buffer = new byte[y4m.Layout.FrameSize];
        long frames = 0;
        while (y4m.ReadFrame(buffer))
        {
            frames++;
        }
        return (y4m.Layout, frames);
    }

    public bool ReadFrame(byte[] buffer)
    {
        var line = ReadLine();
        if (line.Length == 0)
        {
            return false;
        }
        _file.ReadExactly(buffer, 0, Layout.FrameSize);
        return true;
    }

    private string ReadLine()
    {
        var text = new StringBuilder();
        int b;
        while ((b = _file.ReadByte()) >= 0 && b != '\n')
        {
            text.Append((char)b);
        }
        return text.ToString();
    }

    public void Dispose() => _file.Dispose();
}
