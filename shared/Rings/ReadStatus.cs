namespace Aqs.Shared.Rings;

/// <summary>What <see cref="FrameReader.TryRead"/> found.</summary>
public enum ReadStatus
{
    /// <summary>A frame is held in the slot; call <see cref="FrameReader.Release"/> when done with it.</summary>
    Frame,

    /// <summary>No new frame arrived within the timeout.</summary>
    Timeout,

    /// <summary>The producer closed the ring and this consumer has read everything it will get.</summary>
    Closed,
}
