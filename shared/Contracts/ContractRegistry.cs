using System.Diagnostics.CodeAnalysis;
using System.Text;
using MessagePack;

namespace Aqs.Shared.Contracts;

/// <summary>
/// The one list of contracts: tag, topic, the schema versions this build reads, and how to read,
/// write and sanity-check each body. Adding a contract means adding a line here.
/// </summary>
internal static class ContractRegistry
{
    internal delegate IControlContract BodyReader(ref MessagePackReader reader, MessagePackSerializerOptions options);

    internal delegate void BodyWriter(ref MessagePackWriter writer, IControlContract message, MessagePackSerializerOptions options);

    internal sealed class Entry(
        ContractTypeTag tag,
        Type type,
        int currentVersion,
        BodyReader read,
        BodyWriter write,
        Func<IControlContract, bool> isWellFormed)
    {
        public ContractTypeTag Tag { get; } = tag;
        public Type Type { get; } = type;
        public int CurrentVersion { get; } = currentVersion;
        /// <summary>The type name as the first (topic) frame of a NetMQ message, ASCII.</summary>
        public byte[] Topic { get; } = Encoding.ASCII.GetBytes(type.Name);
        public BodyReader Read { get; } = read;
        public BodyWriter Write { get; } = write;
        public Func<IControlContract, bool> IsWellFormed { get; } = isWellFormed;

        // One version per contract today; an older layout gets its own reader here when a contract changes.
        public bool Reads(int version) => version == CurrentVersion;
    }

    private static readonly Entry?[] ByTag = Build(
        Make<NetworkStats>(ContractTypeTag.NetworkStats, NetworkStats.CurrentSchemaVersion, _ => true),
        Make<QualityFeedback>(ContractTypeTag.QualityFeedback, QualityFeedback.CurrentSchemaVersion, _ => true),
        Make<EncoderDecision>(ContractTypeTag.EncoderDecision, EncoderDecision.CurrentSchemaVersion, m => m.Reason is not null && m.Mode is not null && m.Preset is not null),
        Make<EncoderStats>(ContractTypeTag.EncoderStats, EncoderStats.CurrentSchemaVersion,
            m => m.Codec is not null && m.Preset is not null && Enum.IsDefined(m.FrameType)),
        Make<Command>(ContractTypeTag.Command, Command.CurrentSchemaVersion,
            m => Enum.IsDefined(m.Kind) && (m.Target is null || Enum.IsDefined(m.Target.Value))),
        Make<Heartbeat>(ContractTypeTag.Heartbeat, Heartbeat.CurrentSchemaVersion,
            m => m.State is not null && Enum.IsDefined(m.Role)),
        Make<KeyframeRequest>(ContractTypeTag.KeyframeRequest, KeyframeRequest.CurrentSchemaVersion,
            m => m.Reason is not null && Enum.IsDefined(m.From)));

    private static readonly Dictionary<Type, Entry> ByType = ByTag.OfType<Entry>().ToDictionary(e => e.Type);

    public static IEnumerable<Entry> All => ByTag.OfType<Entry>();

    public static bool TryGet(int tag, [NotNullWhen(true)] out Entry? entry)
    {
        entry = (uint)tag < (uint)ByTag.Length ? ByTag[tag] : null;
        return entry is not null;
    }

    public static bool TryGet(Type type, [NotNullWhen(true)] out Entry? entry) => ByType.TryGetValue(type, out entry);

    public static Entry Get(Type type) =>
        TryGet(type, out var entry)
            ? entry
            : throw new ArgumentException($"{type.FullName} is not a control-plane contract (see ContractRegistry)", nameof(type));

    private static Entry Make<T>(ContractTypeTag tag, int version, Func<T, bool> isWellFormed)
        where T : class, IControlContract =>
        new(tag, typeof(T), version,
            (ref MessagePackReader reader, MessagePackSerializerOptions options) =>
                MessagePackSerializer.Deserialize<T>(ref reader, options),
            (ref MessagePackWriter writer, IControlContract message, MessagePackSerializerOptions options) =>
                MessagePackSerializer.Serialize(ref writer, (T)message, options),
            m => m is T typed && isWellFormed(typed));

    private static Entry?[] Build(params Entry[] entries)
    {
        var table = new Entry?[entries.Max(e => (int)e.Tag) + 1];
        foreach (var entry in entries)
        {
            table[(int)entry.Tag] = entry;
        }
        return table;
    }
}
