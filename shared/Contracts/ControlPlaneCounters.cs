namespace Aqs.Shared.Contracts;

/// <summary>
/// Running totals of one <see cref="ControlPlane"/>. Safe to read from any thread while it runs;
/// each value is exact on its own, the set is not a snapshot.
/// </summary>
public sealed class ControlPlaneCounters
{
    private long _sent;
    private long _received;
    private long _droppedMalformed;
    private long _droppedUnknownVersion;
    private long _droppedUnknownType;

    /// <summary>Messages handed to the publisher socket (whether or not anyone listened).</summary>
    public long Sent => Volatile.Read(ref _sent);
    /// <summary>Messages decoded and delivered to the caller.</summary>
    public long Received => Volatile.Read(ref _received);
    public long DroppedMalformed => Volatile.Read(ref _droppedMalformed);
    public long DroppedUnknownVersion => Volatile.Read(ref _droppedUnknownVersion);
    public long DroppedUnknownType => Volatile.Read(ref _droppedUnknownType);
    public long Dropped => DroppedMalformed + DroppedUnknownVersion + DroppedUnknownType;

    internal void CountSent() => Interlocked.Increment(ref _sent);

    internal void CountReceived() => Interlocked.Increment(ref _received);

    internal void CountDrop(DropReason reason)
    {
        switch (reason)
        {
            case DropReason.Malformed:
                Interlocked.Increment(ref _droppedMalformed);
                break;
            case DropReason.UnknownVersion:
                Interlocked.Increment(ref _droppedUnknownVersion);
                break;
            case DropReason.UnknownType:
                Interlocked.Increment(ref _droppedUnknownType);
                break;
        }
    }

    public override string ToString() =>
        $"sent={Sent} received={Received} dropped(malformed={DroppedMalformed}, unknown-version={DroppedUnknownVersion}, unknown-type={DroppedUnknownType})";
}
