using System.Diagnostics;
using Aqs.Kernel.Preprocess.Sources;
using Aqs.Tests.Infrastructure;
using CsCheck;

namespace Aqs.Kernel.Preprocess.Tests.Sources;

/// <summary>
/// Container input through libavformat, mutated: small MP4, MKV and MPEG-TS files made by ffmpeg's lavfi at test time,
/// then bytes flipped, ranges overwritten, chunks repeated and files cut short, fed to <see cref="MediaFileSource"/>.
/// Each one opens and gives frames, or ends in a one-line <see cref="SourceException"/> (one line and exit 2 from the
/// kernel); never another exception, a crash of the process, or a hang.
/// </summary>
[NonParallelizable]
public class ContainerFuzzTests
{
    private static readonly string[] Containers = ["mp4", "mkv", "ts"];
    private static readonly TimeSpan PerInput = TimeSpan.FromSeconds(20);
    private string _folder = "";
    private readonly List<byte[]> _seeds = [];

    [OneTimeSetUp]
    public void MakeSeedFiles()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"aqs-container-fuzz-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
        foreach (var container in Containers)
        {
            var path = Path.Combine(_folder, "seed." + container);
            var info = new ProcessStartInfo("ffmpeg", $"-hide_banner -loglevel error -y -f lavfi -i testsrc2=size=96x64:rate=15 -frames:v 8 -c:v libx264 -g 4 -pix_fmt yuv420p {path}")
            {
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var ffmpeg = Process.Start(info)!;
            var error = ffmpeg.StandardError.ReadToEnd();
            ffmpeg.WaitForExit();
            Assert.That(ffmpeg.ExitCode, Is.Zero, error);
            _seeds.Add(File.ReadAllBytes(path));
        }
    }

    [OneTimeTearDown]
    public void Remove() => Directory.Delete(_folder, recursive: true);

    [Test]
    [CancelAfter(300_000)]
    public void Mutated_mp4_mkv_and_ts_files_give_frames_or_one_line_never_a_crash_or_a_hang()
    {
        var mutation = Gen.Select(Gen.Int[0, 3], Gen.Int[0, int.MaxValue], Gen.Int[0, 255], Gen.Int[1, 64]);
        var input = Gen.Select(Gen.Int[0, Containers.Length - 1], mutation.Array[1, 8], Gen.Int[0, int.MaxValue]);
        FixedSeedFuzz.Run("container input (mp4, mkv, ts) through libavformat", input, seed: 0xC0A7, iterations: 240, t =>
        {
            var (which, mutations, cut) = t;
            var path = Path.Combine(_folder, $"input.{Containers[which]}");
            File.WriteAllBytes(path, Mutate(_seeds[which], mutations, cut));
            var run = Task.Run(() => Consume(path));
            Assert.That(run.Wait(PerInput), Is.True, $"{Containers[which]}: no answer within {PerInput.TotalSeconds:F0} s (a hang)");
            return run.Result;
        }, t => $"{Containers[t.Item1]}, mutations {string.Join(", ", t.Item2.Select(m => $"({m.Item1} at {m.Item2} value {m.Item3} length {m.Item4})"))}, cut {t.Item3}");
    }

    /// <summary>Opens and reads every frame; true when refused in one line.</summary>
    private static bool Consume(string path)
    {
        try
        {
            using var source = MediaFileSource.Open(path, new SourceOpenOptions());
            // A ring slot is the frame size: the kernel refuses layouts it cannot hold, which this mirrors.
            Assert.That(source.Layout.FrameSize, Is.InRange(1, 64 << 20), "layout within what a ring slot holds");
            var buffer = new byte[source.Layout.FrameSize];
            var frames = 0;
            while (source.TryReadFrame(buffer, out _))
            {
                Assert.That(++frames, Is.LessThan(10_000), "a file of 8 frames does not decode forever");
            }
            return false;
        }
        catch (SourceException ex)
        {
            FixedSeedFuzz.AssertOneLine(ex.Message);
            return true;
        }
    }

    private static byte[] Mutate(byte[] seed, (int Kind, int At, int Value, int Length)[] mutations, int cut)
    {
        var bytes = seed.ToList();
        foreach (var (kind, at, value, length) in mutations)
        {
            var i = at % Math.Max(1, bytes.Count);
            switch (kind)
            {
                case 0: // flip one byte
                    if (bytes.Count > 0)
                    {
                        bytes[i] ^= (byte)Math.Max(1, value);
                    }
                    break;
                case 1: // overwrite a range with one value (0x00 and 0xff make lengths and sizes extreme)
                    for (var k = i; k < Math.Min(bytes.Count, i + length); k++)
                    {
                        bytes[k] = (byte)value;
                    }
                    break;
                case 2: // repeat a chunk
                    bytes.InsertRange(i, bytes.GetRange(i, Math.Min(length * 16, bytes.Count - i)));
                    break;
                default: // remove a chunk
                    bytes.RemoveRange(i, Math.Min(length * 16, bytes.Count - i));
                    break;
            }
        }
        // One time in four the file is also cut short somewhere.
        return cut % 4 == 0 && bytes.Count > 0 ? bytes.Take(cut / 4 % bytes.Count).ToArray() : bytes.ToArray();
    }
}
