using System.Text;
using Aqs.Kernel.Preprocess.Sources;
using Aqs.Tests.Infrastructure;
using CsCheck;

namespace Aqs.Kernel.Preprocess.Tests.Sources;

/// <summary>Generated Y4M headers and files, valid and mutated: the reader either works or throws SourceException.</summary>
public class Y4mPropertyTests
{
    private static readonly string[] Tags =
    [
        "C420jpeg", "C420paldv", "C420mpeg2", "C420", "C422", "C444", "C420p10", "C422p10", "C444p10",
        "C420p12", "C422p12", "C444p12", "Cmono", "C444alpha", "C411", "C420p16", "Cbogus", "",
    ];

    private static readonly Gen<string> GenToken = Gen.OneOf(
        Gen.Int[0, 70000].Select(v => "W" + v),
        Gen.Int[0, 70000].Select(v => "H" + v),
        Gen.Select(Gen.Int[-2, 200000], Gen.Int[-2, 2000]).Select((n, d) => $"F{n}:{d}"),
        Gen.Select(Gen.Int[0, 300], Gen.Int[0, 300]).Select((n, d) => $"A{n}:{d}"),
        Gen.OneOfConst("Ip", "It", "Ib", "Im", "I?", "Ix", "I", "Ipp"),
        Gen.OneOfConst(Tags),
        Gen.OneOfConst("XCOLORRANGE=FULL", "XCOLORRANGE=LIMITED", "XYSCSS=420P10", "X", "Zzz", "F", "W", "A:", "F1:"),
        Gen.String[Gen.Char['\0', '\u00ff'], 0, 12]);

    private static readonly Gen<string> GenHeader =
        Gen.Select(Gen.Bool, GenToken.Array[0, 9], Gen.Int[1, 64], Gen.Int[1, 64], Gen.OneOfConst(Tags))
           .Select((magic, extra, w, h, tag) =>
               (magic ? "YUV4MPEG2" : "YUV4MPEG") + $" W{w} H{h} " + tag + " " + string.Join(' ', extra));

    [Test]
    public void Header_parser_only_ever_throws_source_exception()
    {
        GenHeader.SampleFixed(line =>
        {
            try
            {
                var h = Y4mHeader.Parse(Encoding.Latin1.GetBytes(line), "p.y4m");
                Assert.That(h.Layout.FrameSize, Is.GreaterThan(0));
            }
            catch (SourceException e)
            {
                Assert.That(e.Message, Does.StartWith("p.y4m").And.Not.Contain("\n"));
            }
        }, seed: 0x5C0301, iter: 3000);
    }

    [Test]
    public void Header_parser_survives_random_bytes()
    {
        Gen.Byte.Array[0, 200].SampleFixed(bytes =>
        {
            var withMagic = Encoding.ASCII.GetBytes("YUV4MPEG2 ").Concat(bytes).ToArray();
            foreach (var input in new[] { bytes, withMagic })
            {
                try
                {
                    Y4mHeader.Parse(input, "p.y4m");
                }
                catch (SourceException)
                {
                }
            }
        }, seed: 0x5C0302, iter: 3000);
    }

    /// <summary>A small valid file, then one of: cut short, bytes overwritten, bytes inserted, bytes deleted.</summary>
    private static readonly Gen<(byte[] File, int ValidFrames, int Mutation, int Position, byte[] Noise)> GenFile =
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 24], Gen.Int[0, 4], Gen.Int[0, 3], Gen.OneOfConst(Tags[..13]))
           .Select((w, h, frames, paramKind, tag) =>
           {
               var header = $"YUV4MPEG2 W{w} H{h} F25:1 Ip {tag}";
               var layout = Y4mHeader.Parse(Encoding.ASCII.GetBytes(header), "x").Layout;
               var frameParams = paramKind switch { 0 => "", 1 => " Ip", 2 => " Itpp Xa=b", _ => " " };
               return (TestFiles.Y4m(header, layout, frames, frameParams), frames);
           })
           .SelectMany(f => Gen.Select(Gen.Int[0, 4], Gen.Int[0, Math.Max(0, f.Item1.Length - 1)], Gen.Byte.Array[1, 16])
               .Select((m, p, n) => (f.Item1, f.frames, m, p, n)));

    [Test]
    public void Reader_on_valid_and_mutated_files_only_ever_throws_source_exception()
    {
        using var files = new TestFiles();
        GenFile.SampleFixed((file, validFrames, mutation, position, noise) =>
        {
            // One file and buffer per thread (fixed-seed sampling runs on one, but the helper keeps it safe either way).
            var path = files.Path_($"prop{Environment.CurrentManagedThreadId}.y4m");
            var buffer = Buffer.Value!;
            var bytes = mutation switch
            {
                0 => file,
                1 => file[..position],
                2 => Overwrite(file, position, noise),
                3 => file[..position].Concat(noise).Concat(file[position..]).ToArray(),
                _ => file[..position].Concat(file[Math.Min(file.Length, position + noise.Length)..]).ToArray(),
            };
            File.WriteAllBytes(path, bytes);
            var delivered = 0;
            try
            {
                using var source = Y4mSource.Open(path);
                if (source.Layout.FrameSize > buffer.Length)
                {
                    // A mutated header claiming a huge frame: the read would only report truncation.
                    Assert.That(mutation, Is.Not.Zero);
                    return;
                }
                while (delivered < 100 && source.TryReadFrame(buffer, out _))
                {
                    delivered++;
                }
                if (mutation == 0)
                {
                    Assert.That(delivered, Is.EqualTo(validFrames));
                }
            }
            catch (SourceException e)
            {
                Assert.That(mutation, Is.Not.Zero, "a valid file failed: " + e.Message);
                Assert.That(e.Message, Does.StartWith(path).And.Not.Contain("\n"));
            }
        }, seed: 0x5C0303, iter: 600);
    }

    private static readonly ThreadLocal<byte[]> Buffer = new(() => new byte[4 << 20]);

    private static byte[] Overwrite(byte[] file, int position, byte[] noise)
    {
        var copy = file.ToArray();
        for (var i = 0; i < noise.Length && position + i < copy.Length; i++)
        {
            copy[position + i] = noise[i];
        }
        return copy;
    }
}
