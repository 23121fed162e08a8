using Aqs.Kernel.Network.Fec;

namespace Aqs.Kernel.Network.Tests.Fec;

/// <summary>A k+m block of random data shards in one native buffer, for coder tests.</summary>
internal sealed class TestBlock : IDisposable
{
    private readonly NativeBuffer _buffer;

    public TestBlock(int k, int m, int length, int seed)
    {
        Stride = (length + 63) & ~63;
        _buffer = new NativeBuffer(Math.Max(1, (k + m) * Stride));
        Shards = new ShardSet();
        Shards.Configure(k, m, length);
        Shards.BindContiguous(_buffer, 0, Stride);
        var random = new Random(seed);
        for (var i = 0; i < k; i++)
        {
            random.NextBytes(Shards.Shard(i));
        }
    }

    public int Stride { get; }

    public ShardSet Shards { get; }

    public byte[] Copy(int shard) => Shards.Shard(shard).ToArray();

    public byte[][] CopyAll() => Enumerable.Range(0, Shards.TotalShards).Select(Copy).ToArray();

    public void Dispose()
    {
        Shards.Dispose();
        _buffer.Dispose();
    }
}
