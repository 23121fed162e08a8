using Aqs.Shared.Contracts;

namespace Aqs.Shared.Tests.Contracts.Infrastructure;

/// <summary>One instance of every contract with every field set away from its default.</summary>
internal static class SampleContracts
{
    public static IControlContract[] All =>
    [
        new NetworkStats
        {
            TimestampNs = 123_456_789_012, EstimatedBandwidthBps = 8.5e6, SendRateBps = 7.25e6, LossRate = 0.031,
            BurstLossRate = 0.4, JitterMs = 3.5, RttMs = 21.75, QueueDelayMs = 4.125, FecParityRatio = 0.2,
            PacketsSent = 10_001, PacketsReceived = 9_700, PacketsLost = 301, PacketsRecovered = 290,
            Retransmissions = 7, FramesSent = 600, FramesReceived = 598, FramesLost = 2, FramesLate = 3,
            DroppedDatagrams = 11,
        },
        new QualityFeedback
        {
            TimestampNs = 223_456_789_012, FrameId = 4242, Ssim = 0.987, PsnrDb = 41.5, Vmaf = 93.25, Pqm = 0.61,
            LatencyMs = 48.5, FramesDisplayed = 4200, FramesDropped = 12, Freezes = 1, Width = 1920, Height = 1080,
            Fps = 59.94, KeyframeRequested = true,
        },
        new EncoderDecision
        {
            TimestampNs = 323_456_789_012, FrameId = 4300, Width = 1280, Height = 720, Fps = 30, BitDepth = 10,
            BitrateBps = 4_500_000, QpMin = 18, QpMax = 42, FecHint = 0.15, ForceKeyframe = true,
            Reason = "loss 8% → FEC up, rung down",
        },
        new EncoderStats
        {
            TimestampNs = 423_456_789_012, FrameId = 4301, Bytes = 31_337, FrameType = EncodedFrameType.B, Qp = 27,
            EncodeMs = 6.25, QueueFill = 0.35, BitrateBps = 4_400_000, Codec = "libx264", Width = 1280, Height = 720,
            Fps = 30, BitDepth = 8, FramesEncoded = 4301, FramesDropped = 5,
        },
        new Command
        {
            TimestampNs = 523_456_789_012, Kind = CommandKind.ForceKeyframe, Target = KernelRole.Encode, MinFps = 24,
            MaxFps = 120, SpatialScale = 0.5, SpatialFloor = 720, BitDepth = 12, BitrateCapKbps = 25_000,
            Mode = "sports", VmafTarget = 95, MaxLatencyMs = 80,
        },
        new Heartbeat
        {
            Role = KernelRole.Display, Pid = 31337, UptimeMs = 65_000, State = "running", TimestampNs = 623_456_789_012,
        },
    ];
}
