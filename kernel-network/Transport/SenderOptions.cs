namespace Aqs.Kernel.Network.Transport;

/// <summary>Send-side knobs of Kernel A beyond keys and peer.</summary>
public sealed record SenderOptions
{
    /// <summary>Resend NACKed media datagrams while the frame can still make its deadline.</summary>
    public bool Retransmit { get; init; } = true;

    /// <summary>The receiver's frame deadline (from the frame's first packet); a resend that would arrive later is pointless.</summary>
    public long FrameDeadlineUs { get; init; } = 300_000;

    /// <summary>Spread each frame's datagrams over time instead of sending them in one burst.</summary>
    public bool Pacing { get; init; } = true;

    /// <summary>Pacing rate as a multiple of the bandwidth estimate (libwebrtc's pacer uses 2.5).</summary>
    public double PacingFactor { get; init; } = 2.5;

    /// <summary>Frame interval assumed until frames have come in for a while (30 fps).</summary>
    public long FrameIntervalUs { get; init; } = 33_333;

    /// <summary>Share of the frame interval a frame's datagrams may take at most, whatever the estimate says.</summary>
    public double PacingSpread { get; init; } = 0.5;

    /// <summary>
    /// Send bandwidth probe clusters (padding datagrams) when the estimator asks for them. Off by default: padding
    /// goes on top of an encoder that already fills the estimate, and on a real 4 Mbit/s tbf link that cost frames
    /// (208–233 of 241 arrived, against 241 of 241 without). Probes should replace media at a higher pace instead;
    /// until they do, probing is for links with headroom and for the simulation.
    /// </summary>
    public bool Probing { get; init; }

    /// <summary>Bandwidth estimator settings; null takes the defaults.</summary>
    public Estimation.BweSettings? Bwe { get; init; }

    /// <summary>Plaintexts kept for retransmission (a power of two).</summary>
    public int RetransmitHistory { get; init; } = 4096;
}
