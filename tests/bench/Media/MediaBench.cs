using System.Diagnostics;
using System.Globalization;
using System.Text;
using Aqs.Bench.Harness;
using Aqs.Shared.Frames;
using Aqs.Shared.Media;

namespace Aqs.Bench.Media;

/// <summary>
/// Our libx264 encoder and h264 decoder against the <c>ffmpeg</c> command line with the same settings, on the
/// same 1080p 8-bit y4m clip, in the same run. Both sides read the y4m from disk and write their output; the ratios
/// are of steady rates, start-up (process start, open) subtracted on both sides.
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
            // Like for like: each side runs on the whole clip and on its first Head frames; the difference is the
            // per-frame cost with start-up (ffmpeg's process start, probing, encoder/decoder open) taken out of both.
            var head = options.Quick ? 5 : 20;
            var steady = frames - head;
            string[] x264 = ["-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-b:v", Str(Bitrate), "-maxrate", Str(Bitrate),
                "-bufsize", Str(Bitrate), "-forced-idr", "1", "-threads", Str(threads), "-f", "h264"];
            report.Section("Encode: libx264 1080p 8-bit",
                $"Clip: {source}, {frames} frames {layout}. Settings on both sides: libx264 preset veryfast, tune zerolatency, " +
                $"{Bitrate / 1_000_000} Mbit/s (maxrate = bitrate, bufsize 1 s), threads {threads}, y4m in, raw H.264 out. Wall time, best of {rounds} rounds, " +
                $"each side run on all {frames} frames and on the first {head}: the steady rate is the {steady} frames between over the difference " +
                "of the two times, which takes encoder open, reading headers and ffmpeg's process start out of both sides. The whole-run rate keeps them in.");
            var ourOut = Path.Combine(dir, "ours.h264");
            var theirOut = Path.Combine(dir, "ffmpeg.h264");
            var ourHead = Path.Combine(dir, "ours-head.h264");
            var theirHead = Path.Combine(dir, "ffmpeg-head.h264");
            long ourBytes = 0;
            var encodeOurs = Rates(rounds, frames, head, () => ourBytes = EncodeOurs(clip, ourOut, threads, int.MaxValue), () => EncodeOurs(clip, ourHead, threads, head));
            var encodeTheirs = Rates(rounds, frames, head,
                () => Ffmpeg(["-y", "-i", clip, .. x264, theirOut]),
                () => Ffmpeg(["-y", "-i", clip, "-frames:v", Str(head), .. x264, theirHead]));
            var theirBytes = new FileInfo(theirOut).Length;
            report.Table("side", "steady fps", "whole-run fps", "output bytes");
            report.Row("ffmpeg CLI (baseline)", encodeTheirs.Steady, encodeTheirs.Whole, theirBytes);
            report.Row("VideoEncoder", encodeOurs.Steady, encodeOurs.Whole, ourBytes);
            report.Note($"**encode fps ratio ours/ffmpeg, steady = {encodeOurs.Steady / encodeTheirs.Steady:F3}** (goal >= 0.97; whole run {encodeOurs.Whole / encodeTheirs.Whole:F3}); " +
                $"**size ratio = {ourBytes / (double)theirBytes:F4}** (goal within 1 %).");

            report.Section("Decode: h264 1080p",
                $"Input: the raw H.264 ffmpeg wrote above. Ours: VideoDecoder (slice threads, {threads}) fed packets from memory, and MediaFileReader " +
                $"(demux + decode, automatic threads) on the file. Baselines: `ffmpeg -threads {threads} -thread_type slice -i x.h264 -f null -` and " +
                $"`ffmpeg -i x.h264 -f null -`. Steady and whole-run rates as for encoding (all frames vs the first {head}).");
            var packets = SplitPackets(theirOut);
            long decoded = 0, read = 0;
            var decodeOurs = Rates(rounds, frames, head, () => decoded = DecodeOurs(packets, threads, int.MaxValue), () => DecodeOurs(packets, threads, head));
            var decodeTheirs = Rates(rounds, frames, head,
                () => Ffmpeg("-threads", Str(threads), "-thread_type", "slice", "-i", theirOut, "-f", "null", "-"),
                () => Ffmpeg("-threads", Str(threads), "-thread_type", "slice", "-i", theirOut, "-frames:v", Str(head), "-f", "null", "-"));
            var readOurs = Rates(rounds, frames, head, () => read = ReadOurs(theirOut, int.MaxValue), () => ReadOurs(theirOut, head));
            var readTheirs = Rates(rounds, frames, head,
                () => Ffmpeg("-i", theirOut, "-f", "null", "-"),
                () => Ffmpeg("-i", theirOut, "-frames:v", Str(head), "-f", "null", "-"));
            report.Table("side", "frames", "steady fps", "whole-run fps");
            report.Row("ffmpeg CLI, slice threads (baseline)", frames, decodeTheirs.Steady, decodeTheirs.Whole);
            report.Row("VideoDecoder, slice threads", decoded, decodeOurs.Steady, decodeOurs.Whole);
            report.Row("ffmpeg CLI, default threads (baseline)", frames, readTheirs.Steady, readTheirs.Whole);
            report.Row("MediaFileReader, default threads", read, readOurs.Steady, readOurs.Whole);
            report.Note($"**decode fps ratio VideoDecoder/ffmpeg, steady = {decodeOurs.Steady / decodeTheirs.Steady:F3}** (whole run {decodeOurs.Whole / decodeTheirs.Whole:F3}); " +
                $"**MediaFileReader/ffmpeg, steady = {readOurs.Steady / readTheirs.Steady:F3}** (whole run {readOurs.Whole / readTheirs.Whole:F3}).");
            return decoded == frames && read == frames ? 0 : 1;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string Str(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Best-of-<paramref name="rounds"/> wall times of a run on all <paramref name="frames"/> and on the first
    /// <paramref name="head"/>, taken in turn: the whole-run rate and the steady rate between them.
    /// </summary>
    private static (double Steady, double Whole) Rates(int rounds, long frames, int head, Action all, Action first)
    {
        double bestAll = double.MaxValue, bestFirst = double.MaxValue;
        for (var r = 0; r < rounds; r++)
        {
            var t = Stopwatch.StartNew();
            all();
            bestAll = Math.Min(bestAll, t.Elapsed.TotalSeconds);
            t.Restart();
            first();
            bestFirst = Math.Min(bestFirst, t.Elapsed.TotalSeconds);
        }
        return ((frames - head) / (bestAll - bestFirst), frames / bestAll);
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

    private static long EncodeOurs(string clip, string output, int threads, int maxFrames)
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
        while (pts < maxFrames && y4m.ReadFrame(buffer))
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

    private static long DecodeOurs(List<byte[]> packets, int threads, int maxFrames)
    {
        using var decoder = VideoDecoder.Open(VideoCodec.H264, threads);
        long pts = 0;
        foreach (var packet in packets.Take(maxFrames))
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

    private static long ReadOurs(string path, int maxFrames)
    {
        using var reader = MediaFileReader.Open(path);
        while (reader.FramesRead < maxFrames && reader.TryReadFrame(out _))
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
