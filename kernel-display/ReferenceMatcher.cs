using Aqs.Shared.Rings;

namespace Aqs.Kernel.Display;

/// <summary>
/// Finds the reference of a decoded frame in the ref ring. Decoded ids only grow (the pipeline
/// drops frames but never reorders them), so references older than the wanted id are released as
/// they are passed; the match itself stays held until <see cref="Release"/>,
/// and so does a reference newer than the frame asked for.
/// </summary>
public sealed class ReferenceMatcher
{
    private readonly FrameReader _reference;
    private readonly TimeSpan _wait;

    public ReferenceMatcher(FrameReader reference, TimeSpan wait)
    {
        _reference = reference;
        _wait = wait;
    }

    public long Passed { get; private set; }

    /// <summary>True with the slot of <paramref name="frameId"/>; false when it is gone or never came.</summary>
    public bool TryFind(long frameId, out FrameSlot slot)
    {
        while (true)
        {
            // A reference newer than the last decoded frame was kept held: look at it again first.
            if (!_reference.TryGetHeld(out slot) && _reference.TryRead(_wait, out slot) != ReadStatus.Frame)
            {
                return false;
            }
            var id = slot.Header.FrameId;
            if (id == frameId)
            {
                return true;
            }
            if (id > frameId)
            {
                // The reference is newer than the frame: that frame's reference was already passed.
                // Keep this slot held for the next, newer decoded frame.
                return false;
            }
            _reference.Release();
            Passed++;
        }
    }

    /// <summary>Done with the matched reference.</summary>
    public void Release()
    {
        if (_reference.TryGetHeld(out _))
        {
            _reference.Release();
        }
    }
}
