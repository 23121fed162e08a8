namespace Aqs.Kernel.Network.Wire;

/// <summary>Received datagrams dropped before parsing further, one counter per <see cref="OpenResult"/> reason.</summary>
public struct DropCounters
{
    // Mutable struct: the sealer increments its own copy in place; readers get a snapshot.
    public long Malformed;
    public long UnsupportedVersion;
    public long WrongSession;
    public long Replayed;
    public long BadTag;
    public long NotEncrypted;

    public readonly long Total => Malformed + UnsupportedVersion + WrongSession + Replayed + BadTag + NotEncrypted;

    internal void Count(OpenResult reason)
    {
        switch (reason)
        {
            case OpenResult.Malformed: Malformed++; break;
            case OpenResult.UnsupportedVersion: UnsupportedVersion++; break;
            case OpenResult.WrongSession: WrongSession++; break;
            case OpenResult.Replayed: Replayed++; break;
            case OpenResult.BadTag: BadTag++; break;
            case OpenResult.NotEncrypted: NotEncrypted++; break;
        }
    }

    public override readonly string ToString() =>
        $"malformed={Malformed} version={UnsupportedVersion} session={WrongSession} replayed={Replayed} tag={BadTag} plaintext={NotEncrypted}";
}
