namespace Aqs.Orchestration.Supervision;

/// <summary>
/// One restart of a kernel and what it cost: when the old process went, why, when the new one was started, and
/// when frames reached the display again.
/// </summary>
public sealed record KernelRestart
{
    public required KernelKind Kind { get; init; }
    /// <summary>Run time (s) when the old process was seen gone or was killed as hung.</summary>
    public required double FailedAtS { get; init; }
    /// <summary>"exit 137 (killed by signal 9)", "hung: no heartbeat for 5.0 s".</summary>
    public required string Cause { get; init; }
    public double? RestartedAtS { get; set; }
    /// <summary>Run time (s) when the display showed new frames again after the restart; null if it never did.</summary>
    public double? RecoveredAtS { get; set; }
    /// <summary>Frames the display had shown when the kernel failed (over the whole run).</summary>
    public long DisplayedBefore { get; init; }
    /// <summary>Displayed frames per second over the seconds before the failure.</summary>
    public double DisplayedFpsBefore { get; init; }
    /// <summary>
    /// Frames displayed (over the run) one second after the new process started: what was already on its way before
    /// the failure has reached the screen by then, so frames shown beyond it came through the restarted kernel.
    /// </summary>
    public long? DisplayedAfterSettling { get; set; }
    /// <summary>Frames not shown across the restart: the rate before it times the gap, less what was shown in the gap.</summary>
    public long? FramesLost { get; set; }

    public bool Recovered => RecoveredAtS is not null;

    public string Describe() =>
        $"{Kind.ExecutableName()} at {FailedAtS:F1} s: {Cause}; " +
        (RecoveredAtS is { } r
            ? $"frames flowed again after {(r - FailedAtS) * 1000:F0} ms, about {FramesLost ?? 0} frames not shown"
            : "did not recover");
}
