using Aqs.Shared.Rings;

namespace Aqs.Shared.Kernel;

/// <summary>What a kernel's loop does after waiting on its input ring.</summary>
public enum InputStep
{
    /// <summary>A frame is held: use it, then release it.</summary>
    Frame,
    /// <summary>Nothing arrived in time: do the idle work and wait again.</summary>
    Idle,
    /// <summary>The producer closed the ring, or the kernel is stopping and idle: drain and exit.</summary>
    End,
}

public static class InputSteps
{
    /// <summary>
    /// One wait on the input ring, folded with the kernel's stop request: a stopping kernel still
    /// takes every frame already published and ends at the first idle wait (its producer may be gone).
    /// </summary>
    /// <remarks>
    /// Every call counts as progress of the kernel's loop for its heartbeats (<see cref="KernelLifetime.Tick"/>).</remarks>
    public static InputStep Next(this FrameReader reader, KernelLifetime lifetime, TimeSpan timeout, out FrameSlot slot)
    {
        lifetime.Tick();
        return reader.TryRead(timeout, out slot) switch
        {
            ReadStatus.Frame => InputStep.Frame,
            ReadStatus.Closed => InputStep.End,
            _ => lifetime.IsStopping ? InputStep.End : InputStep.Idle,
        };
    }
}
