using System.Buffers;
using Aqs.Shared.Contracts;
using Aqs.Shared.Tests.Contracts.Infrastructure;
using Aqs.Tests.Infrastructure;
using CsCheck;
using MessagePack;

namespace Aqs.Shared.Tests.Contracts;

/// <summary>
/// Control-plane messages as a stranger or a broken peer writes them: random MessagePack, real payloads mutated,
/// other schema versions, and headers announcing huge arrays, maps, strings and binaries. Each is a counted drop.
/// </summary>
public class ContractCodecFuzzTests
{
    private static readonly byte[][] Payloads = SampleContracts.All.Select(c => ContractCodec.Encode(c)).ToArray();

    [Test]
    public void Random_message_pack_values_are_dropped_with_a_reason_never_thrown()
    {
        FixedSeedFuzz.Run("control-plane random msgpack", GenValue(3), seed: 0xC0DEC, iterations: 3000, value =>
        {
            var bytes = Write(value);
            return Dropped(bytes);
        });
    }

    [Test]
    public void Envelopes_with_any_version_tag_and_body_are_decoded_or_dropped_never_thrown()
    {
        var gen = Gen.Select(Gen.Int[-3, 1000], Gen.Int[-3, 40], GenValue(2), Gen.Int[0, 3]);
        FixedSeedFuzz.Run("control-plane envelopes", gen, seed: 0xE4E1, iterations: 3000, t =>
        {
            var (version, tag, body, arity) = t;
            var buffer = new ArrayBufferWriter<byte>();
            var writer = new MessagePackWriter(buffer);
            writer.WriteArrayHeader(arity);
            if (arity > 0) writer.Write(version);
            if (arity > 1) writer.Write(tag);
            writer.Flush();
            var bytes = buffer.WrittenSpan.ToArray().Concat(arity > 2 ? Write(body) : []).ToArray();
            return Dropped(bytes);
        });
    }

    [Test]
    public void Huge_announced_lengths_are_dropped_without_allocating_them()
    {
        // array32, map32, str32, bin32, ext32 headers claiming up to 4 GiB, inside a real envelope and alone.
        var gen = Gen.Select(Gen.OneOfConst<byte>(0xdd, 0xdf, 0xdb, 0xc6, 0xc9), Gen.UInt, Gen.Int[0, Payloads.Length - 1], Gen.Int[0, 64], Gen.Bool);
        FixedSeedFuzz.Run("control-plane huge lengths", gen, seed: 0x4E6E, iterations: 2000, t =>
        {
            var (marker, length, index, at, alone) = t;
            var header = new[] { marker, (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length };
            var payload = Payloads[index];
            var cut = Math.Min(at, payload.Length);
            var bytes = alone ? header : payload[..cut].Concat(header).Concat(payload[cut..]).ToArray();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var dropped = Dropped(bytes);
            Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(1 << 20), "allocated for a length it was told");
            return dropped;
        });
    }

    [Test]
    public void Real_payloads_with_bytes_changed_inserted_or_cut_are_decoded_or_dropped_never_thrown()
    {
        var gen = Gen.Select(Gen.Int[0, Payloads.Length - 1], Gen.Select(Gen.Int[0, 4096], Gen.Byte, Gen.Int[0, 2]).Array[1, 8], Gen.Int[0, 4096]);
        FixedSeedFuzz.Run("control-plane mutated payloads", gen, seed: 0x3107, iterations: 5000, t =>
        {
            var (index, edits, cut) = t;
            var bytes = Payloads[index].ToList();
            foreach (var (at, value, op) in edits)
            {
                var i = bytes.Count == 0 ? 0 : at % bytes.Count;
                switch (op)
                {
                    case 0 when bytes.Count > 0: bytes[i] = value; break;
                    case 1: bytes.Insert(i, value); break;
                    case 2 when bytes.Count > 0: bytes.RemoveAt(i); break;
                }
            }
            return Dropped(bytes.Take(cut % (bytes.Count + 1) == 0 ? bytes.Count : cut % (bytes.Count + 1)).ToArray());
        });
    }

    /// <summary>True when refused (with a reason); a decoded message must be a contract.</summary>
    private static bool Dropped(byte[] bytes)
    {
        if (ContractCodec.TryDecode(bytes, out var message, out var reason))
        {
            Assert.That(message, Is.InstanceOf<IControlContract>());
            return false;
        }
        Assert.That(message, Is.Null);
        Assert.That(reason.ToString(), Is.Not.Empty);
        return true;
    }

    private static byte[] Write(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        WriteValue(ref writer, value);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteValue(ref MessagePackWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNil(); break;
            case bool b: writer.Write(b); break;
            case long l: writer.Write(l); break;
            case double d: writer.Write(d); break;
            case string s: writer.Write(s); break;
            case byte[] bin: writer.Write(bin); break;
            case object?[] array:
                writer.WriteArrayHeader(array.Length);
                foreach (var item in array)
                {
                    WriteValue(ref writer, item);
                }
                break;
        }
    }

    /// <summary>Any MessagePack value (nil, bool, integer, float, string, binary, nested arrays) up to <paramref name="depth"/>.</summary>
    private static Gen<object?> GenValue(int depth)
    {
        var leaf = Gen.OneOf<object?>(
            Gen.Const((object?)null),
            Gen.Bool.Select(b => (object?)b),
            Gen.Long.Select(l => (object?)l),
            Gen.Int[-5, 50].Select(i => (object?)(long)i),
            Gen.Double.Select(d => (object?)d),
            Gen.String.Select(s => (object?)s),
            Gen.Byte.Array[0, 40].Select(b => (object?)b));
        return depth == 0 ? leaf : Gen.Frequency<object?>((3, leaf), (1, GenValue(depth - 1).Array[0, 8].Select(a => (object?)a)));
    }
}
