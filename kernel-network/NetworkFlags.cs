using System.CommandLine;
using Aqs.Shared.Cli;
using Aqs.Shared.Kernel;

namespace Aqs.Kernel.Network;

/// <summary>Kernel A's options: one table for <c>kernel-network</c> and <c>aqs run</c>; defaults come from <see cref="NetworkSettings"/>.</summary>
public sealed class NetworkFlags : KernelFlags
{
    private static readonly NetworkSettings Defaults = new() { Context = KernelContext.None };

    public Option<string?> Net { get; } = new("--net") { Description = "impairment on the send path: trace:FILE,loss:2%,burst:5,delay:30ms,jitter:10ms,queue:100,reorder:1%" };
    public Option<string> Fec { get; } = new("--fec") { Description = "parity policy: adaptive (smallest parity under a residual-loss target), seed (clamp(2*loss+0.5*jitter)) or off", DefaultValueFactory = _ => Defaults.Fec };
    public Option<string?> KeyFile { get; } = new("--key-file") { Description = "file (mode 0600) holding the session's 32-byte key as hex; default: a fresh key for this process" };
    public Option<Switch> Encrypt { get; } = Toggle("--encrypt", "encrypt payloads (always authenticated); on by default only for non-loopback peers", Defaults.Encrypt);
    public Option<int> Listen { get; } = new("--listen") { Description = "UDP port of the receive side (0 = any free port); with --role receive it listens on all interfaces", DefaultValueFactory = _ => Defaults.ListenPort };
    public Option<string> Role { get; } = new("--role") { Description = "both (send and receive over loopback), send (enc ring -> --peer) or receive (--listen -> rx ring); send and receive need --key-file", DefaultValueFactory = _ => Defaults.Role.ToString().ToLowerInvariant() };
    public Option<string?> Peer { get; } = new("--peer") { Description = "host:port of the receive side (with --role send)" };
    public Option<string> FrameDeadline { get; } = new("--frame-deadline") { Description = "a frame still incomplete this long after its first packet is lost", DefaultValueFactory = _ => $"{Defaults.FrameDeadline.TotalMilliseconds:F0}ms" };
    public Option<Switch> SendPacing { get; } = Toggle("--send-pacing", "pace each frame's datagrams at 2.5x the bandwidth estimate (off: one burst per frame)", Defaults.Pacing);
    public Option<Switch> Retransmit { get; } = Toggle("--retransmit", "resend datagrams the receiver NACKs while their frame can make its deadline (off: FEC only)", Defaults.Retransmit);

    public Option<string[]> Egress { get; } = new("--egress")
    {
        Description = "also send the stream to a standard receiver (repeat for several): rtp://HOST:PORT[?sdp=FILE&net=SPEC] (RTP + RTCP, SDP file for ffplay/VLC), "
            + "srt://HOST:PORT?mode=caller|listener&latency=US&passphrase=P, rist://HOST:PORT or udp://HOST:PORT (MPEG-TS)",
        AllowMultipleArgumentsPerToken = false,
    };

    public override IEnumerable<Option> All => [Net, Fec, KeyFile, Encrypt, Listen, FrameDeadline, Role, Peer, SendPacing, Retransmit, Egress];

    /// <summary>A pipeline run is one process on loopback: it owns the role and the ports.</summary>
    public override IEnumerable<Option> PipelineOwned => [Role, Peer, Listen, KeyFile];

    public override void Validate(ParseResult parse) => Read(parse, KernelContext.None);

    public NetworkSettings Read(ParseResult parse, KernelContext context)
    {
        var port = Get(parse, Listen);
        if (port is < 0 or > 65535)
        {
            throw Bad(Listen, $"{port} is not a UDP port (0..65535)");
        }
        var fec = Get(parse, Fec)!;
        if (fec is not ("adaptive" or "seed" or "off"))
        {
            throw Bad(Fec, $"'{fec}' is not adaptive, seed or off");
        }
        return new NetworkSettings
        {
            Context = context,
            Net = Get(parse, Net),
            Fec = fec,
            KeyFile = Get(parse, KeyFile),
            Encrypt = Get(parse, Encrypt),
            ListenPort = port,
            Role = Get(parse, Role) switch
            {
                "both" => NetworkRole.Both,
                "send" => NetworkRole.Send,
                "receive" => NetworkRole.Receive,
                var other => throw Bad(Role, $"'{other}' is not both, send or receive"),
            },
            Peer = Get(parse, Peer),
            Pacing = Get(parse, SendPacing),
            Retransmit = Get(parse, Retransmit),
            FrameDeadline = DurationParser.Parse(Get(parse, FrameDeadline)!, FrameDeadline.Name),
            Egress = Get(parse, Egress) ?? [],
        };
    }
}
