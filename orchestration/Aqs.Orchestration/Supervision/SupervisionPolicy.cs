namespace Aqs.Orchestration.Supervision;

/// <summary>When the launcher restarts a kernel, and when it gives up.</summary>
public sealed record SupervisionPolicy
{
    /// <summary>Restart kernels that exit or hang mid-run; false makes any such kernel end the run.</summary>
    public bool Restart { get; init; } = true;
    /// <summary>Restarts of one kernel within a minute beyond which the run fails, naming it.</summary>
    public int MaxRestartsPerMinute { get; init; } = 3;
    /// <summary>A kernel whose heartbeats stop for this long (after it sent one) is taken as hung and killed.</summary>
    public TimeSpan HangAfter { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>The first restart's delay; each further restart within a minute doubles it.</summary>
    public TimeSpan Backoff { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(4);

    public TimeSpan BackoffFor(int recentRestarts) =>
        TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, Backoff.Ticks << Math.Min(recentRestarts, 16)));
}
