using System.Numerics;
using System.Runtime.InteropServices;

namespace Aqs.TestPeers.Rings;

/// <summary>
/// Payloads that are a function of the frame's sequence, so a reader can check every byte without
/// a side channel: 64-bit word i of frame s is <c>Seed(s) + i * Step</c> (little-endian; a partial
/// last word keeps its low bytes). A torn frame mixes two sequences and fails the check.
/// </summary>
public static class FramePattern
{
    private const ulong Step = 0x9E3779B97F4A7C15UL;

    public static ulong Seed(long sequence) => (ulong)sequence * 0xD6E8FEB86659FD93UL ^ 0xA5A5A5A5A5A5A5A5UL;

    /// <summary>Payload length for frame <paramref name="sequence"/>: spread over [min, max] by a hash.</summary>
    public static int LengthFor(long sequence, int min, int max)
    {
        if (max <= min)
        {
            return min;
        }
        var h = Seed(sequence) * Step;
        return min + (int)((h >> 33) % (ulong)(max - min + 1));
    }

    public static void Fill(Span<byte> payload, long sequence)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(payload);
        var seed = Seed(sequence);
        var i = 0;
        if (Vector.IsHardwareAccelerated && words.Length >= Vector<ulong>.Count)
        {
            var v = new Vector<ulong>(seed) + Iota() * new Vector<ulong>(Step);
            var inc = new Vector<ulong>(Step * (ulong)Vector<ulong>.Count);
            var vectors = MemoryMarshal.Cast<ulong, Vector<ulong>>(words);
            for (var k = 0; k < vectors.Length; k++)
            {
                vectors[k] = v;
                v += inc;
            }
            i = vectors.Length * Vector<ulong>.Count;
        }
        for (; i < words.Length; i++)
        {
            words[i] = seed + (ulong)i * Step;
        }
        var tail = payload[(words.Length * 8)..];
        var last = seed + (ulong)words.Length * Step;
        for (var b = 0; b < tail.Length; b++)
        {
            tail[b] = (byte)(last >> (8 * b));
        }
    }

    /// <summary>True when every byte of <paramref name="payload"/> is frame <paramref name="sequence"/>'s.</summary>
    public static bool Check(ReadOnlySpan<byte> payload, long sequence)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(payload);
        var seed = Seed(sequence);
        var i = 0;
        if (Vector.IsHardwareAccelerated && words.Length >= Vector<ulong>.Count)
        {
            var v = new Vector<ulong>(seed) + Iota() * new Vector<ulong>(Step);
            var inc = new Vector<ulong>(Step * (ulong)Vector<ulong>.Count);
            var vectors = MemoryMarshal.Cast<ulong, Vector<ulong>>(words);
            for (var k = 0; k < vectors.Length; k++)
            {
                if (vectors[k] != v)
                {
                    return false;
                }
                v += inc;
            }
            i = vectors.Length * Vector<ulong>.Count;
        }
        for (; i < words.Length; i++)
        {
            if (words[i] != seed + (ulong)i * Step)
            {
                return false;
            }
        }
        var tail = payload[(words.Length * 8)..];
        var last = seed + (ulong)words.Length * Step;
        for (var b = 0; b < tail.Length; b++)
        {
            if (tail[b] != (byte)(last >> (8 * b)))
            {
                return false;
            }
        }
        return true;
    }

    private static Vector<ulong> Iota()
    {
        Span<ulong> lanes = stackalloc ulong[Vector<ulong>.Count];
        for (var k = 0; k < lanes.Length; k++)
        {
            lanes[k] = (ulong)k;
        }
        return new Vector<ulong>(lanes);
    }
}
