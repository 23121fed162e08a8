using System.Buffers.Binary;
using Aqs.Shared.Frames;

namespace Aqs.Kernel.Network.Wire;

/// <summary>
/// What a receiver needs to know of an encoded frame besides its bytes: the rung it was encoded at (size,
/// pixel format, frame duration), its capture and presentation times on the sender's clock, and whether it
/// starts a scene or a rung. It travels as the first <see cref="Length"/> bytes of the frame itself, so it is
/// FEC-protected and authenticated with the frame and costs nothing per datagram.
/// <code>
///  0       1       2       3       4               8              12              16
///  +-------+-------+-------+-------+-------+-------+---------------+---------------+
///  |version|format | depth | flags | width | height| duration (us) |   reserved    |
///  +-------+-------+-------+-------+-------+-------+---------------+---------------+
///  16                              24                              32
///  |  capture time (ns, sender)    |     pts (ns from stream start)|
///  +-------------------------------+-------------------------------+
/// </code>
/// </summary>
public readonly record struct FrameDescriptor
{
    public const int Length = 32;
    public const byte Version = 1;

    public int Width { get; init; }
    public int Height { get; init; }
    public PixelFormat Format { get; init; }
    public int BitDepth { get; init; }
    /// <summary>How long the frame is shown at the rung's frame rate, in µs (0 = not said).</summary>
    public long DurationUs { get; init; }
    public long CaptureTimeNs { get; init; }
    public long PtsNs { get; init; }
    public FrameDescriptorFlags Flags { get; init; }

    public void Write(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"a frame descriptor needs {Length} bytes: length={destination.Length}", nameof(destination));
        }
        destination[0] = Version;
        destination[1] = (byte)Format;
        destination[2] = (byte)BitDepth;
        destination[3] = (byte)Flags;
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], (ushort)Width);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], (ushort)Height);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], (uint)Math.Clamp(DurationUs, 0, uint.MaxValue));
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], 0);
        BinaryPrimitives.WriteInt64BigEndian(destination[16..], CaptureTimeNs);
        BinaryPrimitives.WriteInt64BigEndian(destination[24..], PtsNs);
    }

    /// <summary>Reads the descriptor at the start of a received frame; false (never a throw) when it is not one.</summary>
    public static bool TryRead(ReadOnlySpan<byte> frame, out FrameDescriptor descriptor)
    {
        descriptor = default;
        if (frame.Length < Length || frame[0] != Version)
        {
            return false;
        }
        var format = (PixelFormat)frame[1];
        var flags = (FrameDescriptorFlags)frame[3];
        if ((format != PixelFormat.None && !Enum.IsDefined(format)) || (flags & ~FrameDescriptorFlags.All) != 0
            || BinaryPrimitives.ReadUInt32BigEndian(frame[12..]) != 0)
        {
            return false;
        }
        descriptor = new FrameDescriptor
        {
            Format = format,
            BitDepth = frame[2],
            Flags = flags,
            Width = BinaryPrimitives.ReadUInt16BigEndian(frame[4..]),
            Height = BinaryPrimitives.ReadUInt16BigEndian(frame[6..]),
            DurationUs = BinaryPrimitives.ReadUInt32BigEndian(frame[8..]),
            CaptureTimeNs = BinaryPrimitives.ReadInt64BigEndian(frame[16..]),
            PtsNs = BinaryPrimitives.ReadInt64BigEndian(frame[24..]),
        };
        return true;
    }
}

/// <summary>Per-frame facts in a <see cref="FrameDescriptor"/>.</summary>
[Flags]
public enum FrameDescriptorFlags : byte
{
    None = 0,
    /// <summary>The frame starts a new scene.</summary>
    SceneCut = 1 << 0,
    /// <summary>The first frame at a new rung (size, rate or depth changed): a keyframe.</summary>
    RungSwitch = 1 << 1,
    All = SceneCut | RungSwitch,
}
