using Aqs.Kernel.Preprocess.Pacing;
using Aqs.Kernel.Preprocess.Sources;
using Aqs.Shared.Compression;
using Aqs.Shared.Rings;

namespace Aqs.Kernel.Preprocess.Tests.Memory;

/// <summary>--ref-compression: lossless round trips, the slot marking, and the whole B → ref ring → reader path.</summary>
public class RefCompressionTests
{
    private static byte[] SyntheticFrame(int bitDepth, int index, double noise = 0.05)
    {
        using var source = new SyntheticSource(new SyntheticOptions { Width = 160, Height = 96, BitDepth = bitDepth, Noise = noise });
        var frame = new byte[source.Layout.FrameSize];
        for (var i = 0; i <= index; i++)
        {
            Assert.That(source.TryReadFrame(frame, out _), Is.True);
        }
        return frame;
    }

    [TestCase(RefCompression.Lz4, 8)]
    [TestCase(RefCompression.Lz4, 10)]
    [TestCase(RefCompression.Zstd, 8)]
    [TestCase(RefCompression.Zstd, 10)]
    public void Synthetic_frames_round_trip_bit_exact_and_smaller(RefCompression codec, int bitDepth)
    {
        using var compressor = new FrameCompressor(codec);
        for (var i = 0; i < 3; i++)
        {
            var frame = SyntheticFrame(bitDepth, i * 7);
            var packed = new byte[frame.Length];
            var n = compressor.Compress(frame, packed);
            Assert.That(n, Is.GreaterThan(0).And.LessThan(frame.Length), "a synthetic frame compresses");
            var restored = new byte[frame.Length];
            compressor.Decompress(packed.AsSpan(0, n), restored);
            Assert.That(restored, Is.EqualTo(frame));
        }
    }

    [TestCase(RefCompression.Lz4)]
    [TestCase(RefCompression.Zstd)]
    public void Incompressible_frame_that_does_not_fit_gives_0_so_the_caller_stores_it_as_is(RefCompression codec)
    {
        var noise = new byte[64 * 1024];
        new Random(7).NextBytes(noise);
        using var compressor = new FrameCompressor(codec);
        Assert.That(compressor.Compress(noise, new byte[noise.Length - 1]), Is.EqualTo(0));
    }

    [TestCase(RefCompression.Lz4)]
    [TestCase(RefCompression.Zstd)]
    public void Damaged_compressed_frame_is_a_one_line_InvalidDataException(RefCompression codec)
    {
        var frame = SyntheticFrame(8, 0);
        using var compressor = new FrameCompressor(codec);
        var packed = new byte[frame.Length];
        var n = compressor.Compress(frame, packed);
        var e = Assert.Throws<InvalidDataException>(() => compressor.Decompress(packed.AsSpan(0, n / 2), new byte[frame.Length]))!;
        Assert.That(e.Message, Does.Contain(codec.Name()).And.Not.Contain('\n'));
    }

    [Test]
    public void Slot_marking_round_trips_and_an_unmarked_slot_is_uncompressed()
    {
        var header = default(SlotHeader);
        Assert.That(RefSlotCompression.CodecOf(header), Is.EqualTo(RefCompression.None));
        RefSlotCompression.Mark(ref header, RefCompression.Zstd, 1234);
        Assert.That(RefSlotCompression.CodecOf(header), Is.EqualTo(RefCompression.Zstd));
        Assert.That(header.PayloadLength, Is.EqualTo(1234));
        header.User3 = 2; // another use of User3 without the tag: not compression
        Assert.That(RefSlotCompression.CodecOf(header), Is.EqualTo(RefCompression.None));
        RefSlotCompression.Mark(ref header, RefCompression.None, 99);
        Assert.That(header.User3, Is.EqualTo(0));
    }

    [Test]
    public void Parse_accepts_the_three_names_only()
    {
        Assert.That(RefCompressions.TryParse("lz4", out var c) && c == RefCompression.Lz4, Is.True);
        Assert.That(RefCompressions.TryParse("ZSTD", out c) && c == RefCompression.Zstd, Is.True);
        Assert.That(RefCompressions.TryParse("none", out c) && c == RefCompression.None, Is.True);
        Assert.That(RefCompressions.TryParse("gzip", out _), Is.False);
    }

    [TestCase(RefCompression.None)]
    [TestCase(RefCompression.Lz4)]
    [TestCase(RefCompression.Zstd)]
    public void Published_ref_frames_expand_to_the_same_bytes_as_the_raw_ring(RefCompression codec)
    {
        var session = $"rc{Environment.ProcessId}{(int)codec}";
        using var source = new SyntheticSource(new SyntheticOptions { Width = 128, Height = 72, BitDepth = 10, Noise = 0.1 });
        var bytes = source.Layout.FrameSize;
        using var raw = FrameWriter.Create(session, "raw", new RingOptions(8, bytes));
        using var reference = FrameWriter.Create(session, "ref", new RingOptions(8, bytes));
        using var rawReader = FrameReader.Attach(session, "raw", ConsumerPolicy.Reliable, "t");
        using var refReader = FrameReader.Attach(session, "ref", ConsumerPolicy.Reliable, "t");
        using var publisher = new FramePublisher(source, raw, reference, new FramePacer(PacingMode.Asap), codec);
        using var expander = new RefFrameExpander();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                Assert.That(publisher.Step(), Is.True);
                Assert.That(rawReader.TryRead(TimeSpan.FromSeconds(1), out var r), Is.EqualTo(ReadStatus.Frame));
                Assert.That(refReader.TryRead(TimeSpan.FromSeconds(1), out var f), Is.EqualTo(ReadStatus.Frame));
                Assert.That(f.Header.FrameId, Is.EqualTo(r.Header.FrameId));
                Assert.That(RefSlotCompression.CodecOf(r.Header), Is.EqualTo(RefCompression.None), "raw slots are never compressed");
                Assert.That(RefSlotCompression.CodecOf(f.Header), Is.EqualTo(codec));
                Assert.That(expander.Packed(f.Header, f.Payload, bytes).SequenceEqual(r.Payload[..bytes]), Is.True, $"frame {i}");
                Assert.That(rawReader.Release() && refReader.Release(), Is.True);
            }
            Assert.That(publisher.Published, Is.EqualTo(20));
            var ratio = publisher.RefStoredBytes / (double)publisher.RefRawBytes;
            Assert.That(ratio, codec == RefCompression.None ? Is.EqualTo(1.0) : Is.LessThan(1.0));
            Assert.That(expander.Expanded, Is.EqualTo(codec == RefCompression.None ? 0 : 20));
        }
        finally
        {
            raw.Close();
            reference.Close();
        }
    }
}
