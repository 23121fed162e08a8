using System.Buffers;
using System.Reflection;
using Aqs.Shared.Contracts;
using Aqs.Shared.Frames;
using Aqs.Shared.Tests.Contracts.Infrastructure;
using Aqs.Tests.Infrastructure;
using CsCheck;
using MessagePack;

namespace Aqs.Shared.Tests.Contracts;

public class ContractCodecTests
{
    private static IEnumerable<TestCaseData> Samples() =>
        SampleContracts.All.Select(c => new TestCaseData(c).SetArgDisplayNames(c.GetType().Name));

    [Test]
    public void Samples_cover_every_contract_type() =>
        Assert.That(SampleContracts.All.Select(c => c.GetType()),
            Is.EquivalentTo(typeof(IControlContract).Assembly.GetTypes()
                .Where(t => t.GetCustomAttribute<MessagePackObjectAttribute>() is not null && typeof(IControlContract).IsAssignableFrom(t))));

    [TestCaseSource(nameof(Samples))]
    public void Sample_sets_every_field_away_from_its_default(IControlContract sample)
    {
        var defaults = Activator.CreateInstance(sample.GetType())!;
        var keyed = sample.GetType().GetProperties().Where(p => p.GetCustomAttribute<KeyAttribute>() is not null).ToList();
        Assert.That(keyed, Is.Not.Empty);
        foreach (var property in keyed.Where(p => p.Name != nameof(IControlContract.SchemaVersion)))
        {
            Assert.That(property.GetValue(sample), Is.Not.EqualTo(property.GetValue(defaults)), property.Name);
        }
    }

    [TestCaseSource(nameof(Samples))]
    public void Every_contract_round_trips_with_all_fields_set(IControlContract sample)
    {
        var bytes = ContractCodec.Encode(sample);

        Assert.That(ContractCodec.TryDecode(bytes, out var decoded, out var reason), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(reason, Is.EqualTo(DropReason.None));
            Assert.That(decoded, Is.EqualTo(sample));
            Assert.That(ContractCodec.TryDecode(bytes.AsMemory(), out var fromMemory, out _), Is.True);
            Assert.That(fromMemory, Is.EqualTo(sample));
        });
    }

    [Test]
    public void Vmaf_not_computed_round_trips_as_nan()
    {
        var feedback = new QualityFeedback { FrameId = 1, Ssim = 0.9 };
        Assert.That(ContractCodec.TryDecode(ContractCodec.Encode(feedback), out var decoded, out _), Is.True);
        Assert.That(((QualityFeedback)decoded!).Vmaf, Is.NaN);
    }

    [Test]
    public void Command_leaves_unset_parameters_null_and_targets_everyone_without_a_target()
    {
        var stop = new Command { Kind = CommandKind.Stop };
        Assert.That(ContractCodec.TryDecode(ContractCodec.Encode(stop), out var decoded, out _), Is.True);
        var command = (Command)decoded!;
        Assert.Multiple(() =>
        {
            Assert.That(command.Kind, Is.EqualTo(CommandKind.Stop));
            Assert.That(command.MinFps, Is.Null);
            Assert.That(command.Mode, Is.Null);
            Assert.That(Enum.GetValues<KernelRole>().All(command.IsFor), Is.True);
            Assert.That(new Command { Target = KernelRole.Network }.IsFor(KernelRole.Encode), Is.False);
        });
    }

    [Test]
    public void Unknown_schema_version_is_refused_as_such()
    {
        var future = new NetworkStats { SchemaVersion = NetworkStats.CurrentSchemaVersion + 98, LossRate = 0.5 };

        Assert.That(ContractCodec.TryDecode(ContractCodec.Encode(future), out var decoded, out var reason), Is.False);
        Assert.That(reason, Is.EqualTo(DropReason.UnknownVersion));
        Assert.That(decoded, Is.Null);
    }

    [Test]
    public void Unknown_type_tag_is_refused_as_such()
    {
        var bytes = Envelope(1, 77, (ref MessagePackWriter w) => w.WriteArrayHeader(0));
        Assert.That(ContractCodec.TryDecode(bytes, out _, out var reason), Is.False);
        Assert.That(reason, Is.EqualTo(DropReason.UnknownType));
    }

    [Test]
    public void Body_whose_version_disagrees_with_its_envelope_is_malformed()
    {
        var body = MessagePackSerializer.Serialize(new Heartbeat { SchemaVersion = 5, State = "x" }, ContractCodec.SerializerOptions);
        var bytes = Envelope(Heartbeat.CurrentSchemaVersion, (int)ContractTypeTag.Heartbeat, (ref MessagePackWriter w) => w.WriteRaw(body));
        Assert.That(ContractCodec.TryDecode(bytes, out _, out var reason), Is.False);
        Assert.That(reason, Is.EqualTo(DropReason.Malformed));
    }

    [Test]
    public void Trailing_bytes_after_the_envelope_are_malformed()
    {
        var bytes = ContractCodec.Encode(new Heartbeat { State = "running" }).Append((byte)0xc0).ToArray();
        Assert.That(ContractCodec.TryDecode(bytes, out _, out var reason), Is.False);
        Assert.That(reason, Is.EqualTo(DropReason.Malformed));
    }

    [Test]
    public void Undefined_enum_values_and_missing_strings_are_malformed()
    {
        IControlContract[] bad =
        [
            new Command { Kind = (CommandKind)77 },
            new Command { Target = (KernelRole)9 },
            new Heartbeat { Role = (KernelRole)(-1) },
            new EncoderStats { FrameType = (PictureType)200 },
            new EncoderDecision { Reason = null! },
            new Heartbeat { State = null! },
        ];
        foreach (var message in bad)
        {
            Assert.That(ContractCodec.TryDecode(ContractCodec.Encode(message), out _, out var reason), Is.False, message.ToString());
            Assert.That(reason, Is.EqualTo(DropReason.Malformed), message.ToString());
        }
    }

    [Test]
    public void Encoding_something_that_is_not_a_contract_is_a_programming_error() =>
        Assert.Throws<ArgumentException>(() => ContractCodec.Encode("not a contract"));

    [Test]
    public void Random_bytes_never_throw_and_never_decode_to_a_non_contract() =>
        Gen.Byte.Array[0, 400].SampleFixed(bytes =>
        {
            var ok = ContractCodec.TryDecode(bytes, out var message, out var reason);
            return ok ? message is IControlContract && reason == DropReason.None : message is null && reason != DropReason.None;
        }, seed: 0x5C0101, iter: 20_000);

    [Test]
    public void Corrupted_real_payloads_never_throw()
    {
        var payloads = SampleContracts.All.Select(ContractCodec.Encode).ToArray();
        var corrupted =
            from index in Gen.Int[0, payloads.Length - 1]
            from edits in Gen.Select(Gen.Int[0, 4096], Gen.Byte).Array[1, 6]
            from cut in Gen.Int[0, 4096]
            select Corrupt(payloads[index], edits, cut);
        corrupted.SampleFixed(bytes =>
        {
            var ok = ContractCodec.TryDecode(bytes, out var message, out var reason);
            return ok == (reason == DropReason.None) && ok == message is IControlContract;
        }, seed: 0x5C0102, iter: 20_000);
    }

    private static byte[] Corrupt(byte[] payload, (int Position, byte Value)[] edits, int cut)
    {
        var bytes = payload[..(cut % (payload.Length + 1) == 0 ? payload.Length : cut % (payload.Length + 1))];
        foreach (var (position, value) in edits)
        {
            if (bytes.Length > 0)
            {
                bytes[position % bytes.Length] = value;
            }
        }
        return bytes;
    }

    private delegate void BodyWrite(ref MessagePackWriter writer);

    private static byte[] Envelope(int version, int tag, BodyWrite body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(3);
        writer.Write(version);
        writer.Write(tag);
        body(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
