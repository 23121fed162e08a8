using Aqs.Shared.Kernel;

namespace Aqs.Kernel.Network;

/// <summary>Kernel A's parsed command line.</summary>
public sealed record NetworkSettings
{
    public required KernelContext Context { get; init; }
    /// <summary>Impairment spec for the send path, or null for the plain network.</summary>
    public string? Net { get; init; }
    public string? KeyFile { get; init; }
    /// <summary>Which sides run in this process; send and receive alone need <see cref="Peer"/> / <see cref="ListenPort"/> and a key file.</summary>
    public NetworkRole Role { get; init; } = NetworkRole.Both;
    /// <summary>Where the send side sends (role send only; role both sends to its own receive side).</summary>
    public string? Peer { get; init; }
    /// <summary>Pace each frame's datagrams (see <see cref="Transport.FramePacer"/>).</summary>
    public bool Pacing { get; init; } = true;
    /// <summary>Resend NACKed datagrams while their frame can make its deadline.</summary>
    public bool Retransmit { get; init; } = true;
    public bool Encrypt { get; init; }
    public int ListenPort { get; init; }
    /// <summary>FEC policy: adaptive (ours), seed (the source document's formula) or off.</summary>
    public string Fec { get; init; } = "adaptive";
    public int RxSlots { get; init; } = 32;
    public int RxSlotSize { get; init; } = 4 << 20;
    public TimeSpan FrameDeadline { get; init; } = TimeSpan.FromMilliseconds(300);
    /// <summary>Standard-protocol copies of the stream (rtp://, srt://, rist://, udp://), beside our own transport; see <see cref="Egress.EgressTarget"/>.</summary>
    public IReadOnlyList<string> Egress { get; init; } = [];
}
