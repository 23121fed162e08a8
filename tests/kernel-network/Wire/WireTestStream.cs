using Aqs.Kernel.Network.Fec;
using Aqs.Kernel.Network.Wire;

namespace Aqs.Kernel.Network.Tests.Wire;

/// <summary>Sender side for tests: packetizer + sealer + pool, producing sealed datagrams as byte arrays.</summary>
internal sealed class WireTestStream : IDisposable
{
    public static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    public const uint Session = 0xA0C5_0001;

    private readonly IErasureCoder _coder = new ManagedErasureCoder();
    private readonly DatagramPool _pool = new(2048);
    private readonly FramePacketizer _packetizer;
    private readonly PacketRef[] _refs = new PacketRef[2048];

    public WireTestStream(bool encrypt = true, int maxDataShardsPerBlock = 32)
    {
        _packetizer = new FramePacketizer(_coder, _pool, maxDataShardsPerBlock);
        Sealer = new DatagramSealer(Key, Session, EndpointRole.Sender, encrypt);
    }

    public DatagramSealer Sealer { get; }

    /// <summary>Sealed datagrams of one frame, grouped by block: (block index, shard index, k, m, bytes).</summary>
    public List<(int Block, int Shard, int K, int M, byte[] Bytes)> Frame(byte[] frame, uint frameId, bool keyframe, IParityPolicy parity)
    {
        Assert.That(_packetizer.TryPacketize(frame, frameId, 0, keyframe, parity, _refs, out var count), Is.True);
        var result = new List<(int, int, int, int, byte[])>(count);
        var sealedBuffer = new byte[WireFormat.MaxDatagram];
        for (var i = 0; i < count; i++)
        {
            var datagram = _pool.Datagram(_refs[i]);
            Assert.That(PacketHeaderCodec.TryParse(datagram, out var h), Is.EqualTo(HeaderError.None));
            var n = Sealer.Seal(datagram, sealedBuffer, (ulong)i, out _);
            result.Add((h.BlockIndex, h.ShardIndex, h.DataShards, h.ParityShards, sealedBuffer[..n]));
            _pool.Return(_refs[i].Buffer);
        }
        return result;
    }

    public void Dispose()
    {
        _packetizer.Dispose();
        Sealer.Dispose();
        _pool.Dispose();
        _coder.Dispose();
    }
}
