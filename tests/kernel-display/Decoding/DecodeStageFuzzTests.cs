using Aqs.Kernel.Display.Decoding;
using Aqs.Kernel.Display.Pictures;
using Aqs.Kernel.Display.Tests.Infrastructure;
using Aqs.Shared.Frames;
using Aqs.Tests.Infrastructure;
using CsCheck;

namespace Aqs.Kernel.Display.Tests.Decoding;

/// <summary>
/// Kernel D's decode stage fed what a broken network or a hostile sender can hand it: frames truncated, bit-flipped,
/// replaced by garbage, repeated, and rung switches out of order. It never throws, shows only pictures at a real rung,
/// and counts what it refused.
/// </summary>
public sealed class DecodeStageFuzzTests
{
    private static readonly FrameLayout Source = new(320, 180, PixelFormat.Yuv420p);
    private static readonly FrameLayout[] Rungs = [Source, new(160, 90, PixelFormat.Yuv420p), new(240, 136, PixelFormat.Yuv420p10)];
    private static List<EncodedFrame>? _stream;

    private static List<EncodedFrame> Stream() =>
        _stream ??= EncodedStream.Encode(Source, (Rungs[0], 6), (Rungs[1], 6), (Rungs[2], 6), (Rungs[0], 6));

    /// <summary>One damage to one frame: 0 none, 1 truncate, 2 flip bits, 3 garbage, 4 empty.</summary>
    private static readonly Gen<(int Index, int Kind, int Cut, int Seed)> GenStep =
        Gen.Select(Gen.Int[0, 23], Gen.Int[0, 4], Gen.Int[0, 4000], Gen.Int);

    [Test]
    public void Damaged_reordered_and_repeated_frames_never_throw_and_show_only_real_rungs()
    {
        EncodedStream.RequireX264();
        var stream = Stream();
        FixedSeedFuzz.Run("kernel-d decode (x264, 3 rungs)", GenStep.Array[1, 30], seed: 0xD0DE, iterations: 150, steps =>
        {
            using var stage = new DecodeStage(new PicturePool());
            var shown = 0;
            var refused = 0;
            void Show(Picture p)
            {
                Assert.That(Rungs, Does.Contain(p.Layout));
                shown++;
                p.Release();
            }
            foreach (var (index, kind, cut, seed) in steps)
            {
                var frame = stream[index];
                var random = new Random(seed);
                var data = kind switch
                {
                    1 => frame.Data[..Math.Min(frame.Data.Length, cut % Math.Max(1, frame.Data.Length))],
                    2 => Flip(frame.Data, random),
                    3 => Garbage(random, cut % 2000),
                    4 => [],
                    _ => frame.Data,
                };
                if (!stage.Decode(frame.Header(), data, 0, 0, Show))
                {
                    refused++;
                }
            }
            stage.Drain(0, Show);
            Assert.That(shown, Is.LessThanOrEqualTo(steps.Length));
            return refused > 0 || stage.DecodeErrors > 0 || stage.SkippedUntilKeyframe > 0;
        }, print: steps => string.Join(' ', steps.Select(s => $"{s.Index}/{s.Kind}/{s.Cut}/{s.Seed}")));
    }

    private static byte[] Flip(byte[] data, Random random)
    {
        var copy = (byte[])data.Clone();
        for (var k = 0; k < 1 + random.Next(64) && copy.Length > 0; k++)
        {
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        }
        return copy;
    }

    private static byte[] Garbage(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
