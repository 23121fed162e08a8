using System.CommandLine;
using Aqs.Shared.Cli;
using Aqs.Shared.Kernel;

namespace Aqs.Kernel.Network;

public static class Program
{
    public static int Main(string[] args)
    {
        var common = new CommonOptions();
        var net = new Option<string?>("--net") { Description = "impairment on the send path: trace:FILE,loss:2%,burst:5,delay:30ms,jitter:10ms,queue:100,reorder:1%" };
        var fec = new Option<string>("--fec") { Description = "parity policy: adaptive (smallest parity under a residual-loss target), seed (clamp(2*loss+0.5*jitter)) or off", DefaultValueFactory = _ => "adaptive" };
        var keyFile = new Option<string?>("--key-file") { Description = "file (mode 0600) holding the session's 32-byte key as hex; default: a fresh key for this process" };
        var encrypt = new Option<bool>("--encrypt") { Description = "encrypt payloads (always authenticated); on by default only for non-loopback peers" };
        var listen = new Option<int>("--listen") { Description = "UDP port of the receive side (0 = any free port); with --role receive it listens on all interfaces", DefaultValueFactory = _ => 0 };
        var role = new Option<string>("--role") { Description = "both (send and receive over loopback), send (enc ring -> --peer) or receive (--listen -> rx ring); send and receive need --key-file", DefaultValueFactory = _ => "both" };
        var peer = new Option<string?>("--peer") { Description = "host:port of the receive side (with --role send)" };
        var deadline = new Option<string>("--frame-deadline") { Description = "a frame still incomplete this long after its first packet is lost", DefaultValueFactory = _ => "300ms" };
        var noPacing = new Option<bool>("--no-pacing") { Description = "send each frame's datagrams in one burst instead of pacing them at 2.5x the bandwidth estimate" };
        var noRetransmit = new Option<bool>("--no-retransmit") { Description = "do not resend datagrams the receiver NACKs (FEC only)" };
        var egress = new Option<string[]>("--egress")
        {
            Description = "also send the stream to a standard receiver (repeat for several): rtp://HOST:PORT[?sdp=FILE&net=SPEC] (RTP + RTCP, SDP file for ffplay/VLC), "
                + "srt://HOST:PORT?mode=caller|listener&latency=US&passphrase=P, rist://HOST:PORT or udp://HOST:PORT (MPEG-TS)",
            AllowMultipleArgumentsPerToken = false,
        };
        var root = new RootCommand("AQS Quad Kernel A (network): packetizes the enc ring into FEC-protected, authenticated UDP, receives, reassembles and publishes the rx ring")
        {
            net, fec, keyFile, encrypt, listen, deadline, role, peer, noPacing, noRetransmit, egress,
        };
        common.AddTo(root);
        root.SetAction(parse =>
        {
            var port = parse.GetValue(listen);
            if (port is < 0 or > 65535)
            {
                throw new UserFacingException($"--listen: {port} is not a UDP port (0..65535)", CommandLineHost.ExitUsage);
            }
            var roleText = parse.GetValue(role)!;
            NetworkRole parsedRole = roleText switch
            {
                "both" => NetworkRole.Both,
                "send" => NetworkRole.Send,
                "receive" => NetworkRole.Receive,
                _ => throw new UserFacingException($"--role: '{roleText}' is not both, send or receive", CommandLineHost.ExitUsage),
            };
            var settings = new NetworkSettings
            {
                Context = common.Read(parse),
                Net = parse.GetValue(net),
                Fec = parse.GetValue(fec)!,
                KeyFile = parse.GetValue(keyFile),
                Encrypt = parse.GetValue(encrypt),
                ListenPort = port,
                Role = parsedRole,
                Peer = parse.GetValue(peer),
                Pacing = !parse.GetValue(noPacing),
                Retransmit = !parse.GetValue(noRetransmit),
                FrameDeadline = DurationParser.Parse(parse.GetValue(deadline)!, "--frame-deadline"),
                Egress = parse.GetValue(egress) ?? [],
            };
            using var lifetime = new KernelLifetime();
            return new NetworkKernel(settings).Run(lifetime);
        });
        return CommandLineHost.Run("kernel-network", root, args);
    }
}
