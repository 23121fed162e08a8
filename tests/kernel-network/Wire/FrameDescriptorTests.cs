using Aqs.Kernel.Network.Wire;
using Aqs.Shared.Frames;
using Aqs.Tests.Infrastructure;
using CsCheck;

namespace Aqs.Kernel.Network.Tests.Wire;

public class FrameDescriptorTests
{
    [Test]
    public void A_descriptor_reads_back_as_written()
    {
        var written = new FrameDescriptor
        {
            Width = 3840, Height = 2160, Format = PixelFormat.Yuv420p12, BitDepth = 12, DurationUs = 8_333,
            CaptureTimeNs = 123_456_789_012_345, PtsNs = -5, Flags = FrameDescriptorFlags.RungSwitch | FrameDescriptorFlags.SceneCut,
        };
        var bytes = new byte[FrameDescriptor.Length + 3];
        written.Write(bytes);

        Assert.That(FrameDescriptor.TryRead(bytes, out var read), Is.True);
        Assert.That(read, Is.EqualTo(written));
    }

    [Test]
    public void Another_version_unknown_flags_or_a_short_frame_are_refused()
    {
        var bytes = new byte[FrameDescriptor.Length];
        new FrameDescriptor { Width = 64, Height = 64, Format = PixelFormat.Yuv420p, BitDepth = 8 }.Write(bytes);
        Assert.Multiple(() =>
        {
            Assert.That(FrameDescriptor.TryRead(bytes.AsSpan(0, FrameDescriptor.Length - 1), out _), Is.False, "short");
            Assert.That(FrameDescriptor.TryRead(Mutated(bytes, 0, 2), out _), Is.False, "version");
            Assert.That(FrameDescriptor.TryRead(Mutated(bytes, 1, 200), out _), Is.False, "pixel format");
            Assert.That(FrameDescriptor.TryRead(Mutated(bytes, 3, 0x80), out _), Is.False, "flags");
            Assert.That(FrameDescriptor.TryRead(Mutated(bytes, 13, 1), out _), Is.False, "reserved");
        });
    }

    [Test]
    public void Random_bytes_never_throw() =>
        Gen.Byte.Array[0, 64].SampleFixed(bytes => { FrameDescriptor.TryRead(bytes, out _); }, seed: 0x5C0801, iter: 20_000);

    private static byte[] Mutated(byte[] bytes, int index, byte value)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] = value;
        return copy;
    }
}
