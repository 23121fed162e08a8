using System.Numerics;
using System.Runtime.InteropServices;

namespace Aqs.TestPeers.Rings;

/// <summary>A cheap whole-buffer checksum (wrapping sum of 64-bit words, then the tail bytes) that touches every byte, for the ring benchmarks.</summary>
public static class PayloadChecksum
{
    public static ulong Sum(ReadOnlySpan<byte> data)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        var acc = Vector<ulong>.Zero;
        var vectors = MemoryMarshal.Cast<ulong, Vector<ulong>>(words);
        foreach (var v in vectors)
        {
            acc += v;
        }
        var sum = Vector.Sum(acc);
        for (var i = vectors.Length * Vector<ulong>.Count; i < words.Length; i++)
        {
            sum += words[i];
        }
        for (var b = words.Length * 8; b < data.Length; b++)
        {
            sum += data[b];
        }
        return sum;
    }
}
