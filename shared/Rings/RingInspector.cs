using Aqs.Shared.Frames;

namespace Aqs.Shared.Rings;

/// <summary>How full a ring is, as an onlooker sees it from the header page.</summary>
/// <param name="Fill">Published frames the slowest active consumer has not released, over the slot count (0..1).</param>
public readonly record struct RingFill(int SlotCount, long Published, int ActiveConsumers, double Fill);

/// <summary>A small RGB copy of a frame in a ring, for previews (8-bit samples, 3 bytes a pixel).</summary>
public sealed record RingPicture(long FrameId, int Width, int Height, byte[] Rgb);

/// <summary>
/// Looks into a session's ring from outside, without joining it as a consumer: the launcher's gauges and previews.
/// Nothing here writes to the ring or holds the producer back; a frame overwritten while it is copied is dropped
/// (its slot's sequence is read before and after the copy, as a seqlock reader does).
/// </summary>
public static class RingInspector
{
    /// <summary>The ring's fill now, or null when it does not exist (yet or any more) or is being created.</summary>
    public static RingFill? Fill(string session, string ring)
    {
        using var mapped = TryOpen(session, ring);
        if (mapped is null)
        {
            return null;
        }
        var published = Volatile.Read(ref mapped.WriteCursor);
        var slowest = published;
        var active = 0;
        for (var i = 0; i < mapped.MaxConsumers; i++)
        {
            var consumer = mapped.Consumer(i);
            if (consumer.LoadState() != ConsumerState.Active)
            {
                continue;
            }
            active++;
            slowest = Math.Min(slowest, Volatile.Read(ref consumer.Cursor));
        }
        var held = Math.Clamp(published - slowest, 0, mapped.SlotCount);
        return new RingFill(mapped.SlotCount, published, active, held / (double)mapped.SlotCount);
    }

    /// <summary>The frame id and timestamp of the newest frame published into the ring, or null when there is none.</summary>
    public static (long FrameId, long PtsNs, long DurationNs)? Newest(string session, string ring)
    {
        using var mapped = TryOpen(session, ring);
        if (mapped is null)
        {
            return null;
        }
        var sequence = Volatile.Read(ref mapped.WriteCursor) - 1;
        if (sequence < 0)
        {
            return null;
        }
        ref var header = ref mapped.Slot(sequence);
        return Volatile.Read(ref header.Sequence) == sequence ? (header.FrameId, header.PtsNs, header.DurationNs) : null;
    }

    /// <summary>
    /// The newest frame of a raw-picture ring (planar YUV, 8 to 16-bit containers), scaled down by whole steps to at
    /// most <paramref name="maxWidth"/> pixels wide and converted to RGB (BT.709, limited range); null when there is
    /// none yet or it changed while read.
    /// </summary>
    public static RingPicture? NewestPicture(string session, string ring, int maxWidth)
    {
        using var mapped = TryOpen(session, ring);
        if (mapped is null)
        {
            return null;
        }
        var sequence = Volatile.Read(ref mapped.WriteCursor) - 1;
        if (sequence < 0)
        {
            return null;
        }
        ref var header = ref mapped.Slot(sequence);
        if (Volatile.Read(ref header.Sequence) != sequence || header.Width <= 0 || header.Height <= 0 || header.Format.PlaneCount() != 3)
        {
            return null;
        }
        var layout = header.Layout;
        var frameId = header.FrameId;
        if (layout.FrameSize > mapped.SlotCapacity)
        {
            return null;
        }
        var step = Math.Max(1, (layout.Width + maxWidth - 1) / maxWidth);
        var width = layout.Width / step;
        var height = layout.Height / step;
        var rgb = new byte[width * height * 3];
        var payload = mapped.Payload(sequence, layout.FrameSize);
        var wide = layout.Format.BytesPerSample() == 2;
        var shift = layout.Format.BitDepth() - 8;
        var sx = layout.Format.ChromaShiftX();
        var sy = layout.Format.ChromaShiftY();
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var px = x * step;
                var py = y * step;
                var c = 1.164 * (Sample(payload, layout, 0, px, py, wide, shift) - 16);
                var d = Sample(payload, layout, 1, px >> sx, py >> sy, wide, shift) - 128;
                var e = Sample(payload, layout, 2, px >> sx, py >> sy, wide, shift) - 128;
                var o = (y * width + x) * 3;
                rgb[o] = Clamp(c + 1.793 * e);
                rgb[o + 1] = Clamp(c - 0.213 * d - 0.533 * e);
                rgb[o + 2] = Clamp(c + 2.112 * d);
            }
        }
        return Volatile.Read(ref header.Sequence) == sequence ? new RingPicture(frameId, width, height, rgb) : null;
    }

    private static int Sample(ReadOnlySpan<byte> payload, FrameLayout layout, int plane, int x, int y, bool wide, int shift)
    {
        var offset = layout.Offset(plane) + y * layout.Stride(plane) + x * (wide ? 2 : 1);
        return wide ? (payload[offset] | payload[offset + 1] << 8) >> shift : payload[offset];
    }

    private static byte Clamp(double v) => (byte)Math.Clamp((int)Math.Round(v), 0, 255);

    private static MappedRing? TryOpen(string session, string ring)
    {
        try
        {
            return MappedRing.Open(RingNames.PathFor(session, ring));
        }
        catch (Exception ex) when (ex is IOException or RingException or RingNotReadyException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
