using Aqs.Shared.Contracts;
using Aqs.Shared.Frames;

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
            DroppedDatagrams = 11, DeliveryRateBps = 6.5e6, BytesInFlight = 48_000, EmulatedCapacityBps = 9e6, BytesSent = 1_234_567, AckedSendTimeNs = 99_000_000, StandingQueueMs = 2.5,
        },
        new QualityFeedback
        {
            TimestampNs = 223_456_789_012, FrameId = 4242, Ssim = 0.987, PsnrDb = 41.5, Vmaf = 93.25, Pqm = 0.61,
            LatencyMs = 48.5, FramesDisplayed = 4200, FramesDropped = 12, Freezes = 1, Width = 1920, Height = 1080,
            Fps = 59.94, FirstFrameId = 4236, LatencyP95Ms = 88.25, FreezeMs = 412.5, FramesMeasured = 6, WindowMs = 100.5,
        },
        new EncoderDecision
        {
            TimestampNs = 323_456_789_012, FrameId = 4300, Width = 1280, Height = 720, Fps = 30, BitDepth = 10,
            BitrateBps = 4_500_000, QpMin = 18, QpMax = 42, FecHint = 0.15, ForceKeyframe = true,
            Reason = "loss 8% → FEC up, rung down", Mode = "sports", Preset = "superfast", FrameBudgetBytes = 9_000,
            EstimateBps = 5.5e6, QueueDelayMs = 12.5, DeliveredVmaf = 91.5, DeliveredSsim = 0.975, EncodeMs = 7.25,
        },
        new EncoderStats
        {
            TimestampNs = 423_456_789_012, FrameId = 4301, Bytes = 31_337, FrameType = PictureType.B, Qp = 27,
            EncodeMs = 6.25, QueueFill = 0.35, BitrateBps = 4_400_000, Codec = "libx264", Width = 1280, Height = 720,
            Fps = 30, BitDepth = 8, FramesEncoded = 4301, FramesDropped = 5, FramesSkipped = 17, Preset = "veryfast",
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
        new KeyframeRequest
        {
            TimestampNs = 723_456_789_012, From = KernelRole.Network, LastGoodFrameId = 811, Reason = "frame 812 unrecoverable",
        },
    ];
}
