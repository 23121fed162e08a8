using Aqs.Kernel.Network.Fec;

namespace Aqs.Kernel.Network.Wire;

/// <summary>
/// Cuts an encoded frame into datagrams in a <see cref="DatagramPool"/>: FEC blocks of at most
/// <see cref="MaxDataShardsPerBlock"/> data shards of up to 1200 bytes, plus the parity the policy asks for,
/// computed in place into the parity datagrams. Headers carry everything but session, sequence and send time,
/// which <see cref="DatagramSealer.Seal"/> stamps when the datagram leaves. No allocation per frame.
/// Single-threaded (owns a coder and a shard table).
/// </summary>
public sealed class FramePacketizer : IDisposable
{
    private readonly IErasureCoder _coder;
    private readonly DatagramPool _pool;
    private readonly ShardSet _shards = new();

    public FramePacketizer(IErasureCoder coder, DatagramPool pool, int maxDataShardsPerBlock = 32)
    {
        if (maxDataShardsPerBlock is < 1 or > 254)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDataShardsPerBlock), maxDataShardsPerBlock, "must be 1..254");
        }
        _coder = coder;
        _pool = pool;
        MaxDataShardsPerBlock = maxDataShardsPerBlock;
    }

    public int MaxDataShardsPerBlock { get; }

    /// <summary>Datagrams a frame of <paramref name="frameLength"/> bytes needs under <paramref name="parity"/>.</summary>
    public int PacketCount(int frameLength, bool keyframe, IParityPolicy parity)
    {
        var count = 0;
        var layout = new BlockLayout(frameLength, MaxDataShardsPerBlock);
        for (var b = 0; b < layout.BlockCount; b++)
        {
            var k = layout.DataShards(b);
            count += k + ClampParity(parity.ParityShards(k, keyframe), k);
        }
        return count;
    }

    /// <summary>
    /// Writes the frame's datagrams (data then parity, block by block) and their refs into <paramref name="output"/>.
    /// Returns false, renting nothing, when the pool or <paramref name="output"/> has too little room or the frame
    /// is empty or too large.
    /// </summary>
    public bool TryPacketize(ReadOnlySpan<byte> frame, uint frameId, byte streamId, bool keyframe, IParityPolicy parity,
        Span<PacketRef> output, out int count) =>
        TryPacketize(default, frame, frameId, streamId, keyframe, parity, output, out count);

    /// <summary>
    /// As above for the frame <paramref name="prefix"/> followed by <paramref name="body"/> (a
    /// <see cref="FrameDescriptor"/> before the encoded bytes), without joining them first.
    /// </summary>
    public bool TryPacketize(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> body, uint frameId, byte streamId, bool keyframe, IParityPolicy parity,
        Span<PacketRef> output, out int count)
    {
        count = 0;
        var frameLength = prefix.Length + body.Length;
        if (body.IsEmpty || frameLength > WireFormat.MaxFrameLength)
        {
            return false;
        }
        var needed = PacketCount(frameLength, keyframe, parity);
        if (needed > output.Length || needed > _pool.Available)
        {
            return false;
        }
        var layout = new BlockLayout(frameLength, MaxDataShardsPerBlock);
        for (var b = 0; b < layout.BlockCount; b++)
        {
            var k = layout.DataShards(b);
            var m = ClampParity(parity.ParityShards(k, keyframe), k);
            var offset = layout.Offset(b);
            var blockLength = layout.Length(b);
            var shardSize = (blockLength + k - 1) / k;
            _shards.Configure(k, m, shardSize);
            var header = new PacketHeader
            {
                Flags = keyframe ? PacketFlags.Keyframe : PacketFlags.None,
                StreamId = streamId,
                FrameId = frameId,
                FrameLength = frameLength,
                BlockOffset = offset,
                BlockIndex = b,
                BlockCount = layout.BlockCount,
                DataShards = k,
                ParityShards = m,
                ShardSize = shardSize,
            };
            for (var i = 0; i < k + m; i++)
            {
                _pool.TryRent(out var index);
                var buffer = _pool.Buffer(index);
                int payloadLength;
                if (i < k)
                {
                    var start = i * shardSize;
                    payloadLength = Math.Min(shardSize, blockLength - start);
                    CopyRange(prefix, body, offset + start, buffer.Slice(WireFormat.HeaderLength, payloadLength));
                    // The code sees the short last shard zero-padded to the shard size.
                    buffer.Slice(WireFormat.HeaderLength + payloadLength, shardSize - payloadLength).Clear();
                }
                else
                {
                    payloadLength = shardSize;
                }
                PacketHeaderCodec.Write(header with
                {
                    Kind = i < k ? PacketKind.Media : PacketKind.Parity,
                    ShardIndex = i,
                    PayloadLength = payloadLength,
                }, buffer);
                _shards.Bind(i, _pool.Memory, _pool.Offset(index) + WireFormat.HeaderLength);
                output[count++] = new PacketRef(index, WireFormat.HeaderLength + payloadLength);
            }
            _coder.Encode(_shards);
        }
        return true;
    }

    /// <summary>Copies <paramref name="destination"/>'s length of bytes from <paramref name="start"/> of prefix ++ body.</summary>
    private static void CopyRange(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> body, int start, Span<byte> destination)
    {
        if (start < prefix.Length)
        {
            var head = Math.Min(prefix.Length - start, destination.Length);
            prefix.Slice(start, head).CopyTo(destination);
            destination = destination[head..];
            start = prefix.Length;
        }
        body.Slice(start - prefix.Length, destination.Length).CopyTo(destination);
    }

    private static int ClampParity(int m, int k) => Math.Clamp(m, 0, 255 - k);

    public void Dispose() => _shards.Dispose();
}
