using Aqs.Shared.Rings;

namespace Aqs.Kernel.Display;

/// <summary>
/// Finds the reference of a decoded frame in the ref ring. Decoded ids only grow (the pipeline
/// drops frames but never reorders them), so references older than the wanted id are released as
/// they are passed; the match itself stays held until <see cref="Release"/>.
/// </summary>
public sealed class ReferenceMatcher
{
    private readonly FrameReader _reference;
    private readonly TimeSpan _wait;
    private bool _holding;

    public ReferenceMatcher(FrameReader reference, TimeSpan wait)
    {
        _reference = reference;
        _wait = wait;
    }

    public long Passed { get; private set; }

    /// <summary>True with the slot of <paramref name="frameId"/>; false when it is gone or never came.</summary>
    public bool TryFind(long frameId, out FrameSlot slot)
    {
        Release();
        while (true)
        {
            var status = _reference.TryRead(_wait, out slot);
            if (status != ReadStatus.Frame)
            {
                return false;
            }
            var id = slot.Header.FrameId;
            if (id == frameId)
            {
                _holding = true;
                return true;
            }
            if (id > frameId)
            {
                // The reference is newer than the frame: that frame's reference was already passed.
                // Keep this slot unreleased for the next, newer decoded frame.
                _holding = false;
                return false;
            }
            _reference.Release();
            Passed++;
        }
    }

    public void Release()
    {
        if (_holding)
        {
            _reference.Release();
            _holding = false;
        }
    }
}
