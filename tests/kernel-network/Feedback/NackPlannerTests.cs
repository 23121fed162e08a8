using Aqs.Kernel.Network.Feedback;
using Aqs.Kernel.Network.Wire;

namespace Aqs.Kernel.Network.Tests.Feedback;

public class NackPlannerTests
{
    private const int K = 4;
    private const int M = 2;

    /// <summary>Statistics with a planner, fed one k=4, m=2 block at sequences base..base+5 minus <paramref name="lost"/>.</summary>
    private static (ReceiverStatistics Stats, BlockNackPlanner Planner) Receive(IEnumerable<int> shards, int[] lost, uint frame = 1, long baseSeq = 0,
        ReceiverStatistics? stats = null, BlockNackPlanner? planner = null)
    {
        planner ??= new BlockNackPlanner();
        stats ??= new ReceiverStatistics { NackPlanner = planner };
        foreach (var i in shards)
        {
            if (lost.Contains(i))
            {
                continue;
            }
            var seq = baseSeq + i;
            planner.OnShard(Shard(frame, i, seq));
            stats.OnPacket(seq, seq * 100, seq * 100 + 20_000);
        }
        return (stats, planner);
    }

    private static PacketHeader Shard(uint frame, int index, long sequence, bool resent = false) => new()
    {
        Kind = index < K ? PacketKind.Media : PacketKind.Parity,
        Flags = resent ? PacketFlags.Retransmission : PacketFlags.None,
        Sequence = (uint)sequence,
        FrameId = frame,
        FrameLength = K * 1000,
        BlockCount = 1,
        ShardIndex = index,
        DataShards = K,
        ParityShards = M,
        ShardSize = 1000,
    };

    private static long[] Nacks(ReceiverStatistics stats, long nowUs = 1_000_000)
    {
        var report = new FeedbackReport();
        stats.BuildReport(nowUs, report);
        return report.NackList.ToArray();
    }

    [Test]
    public void A_loss_that_parity_repairs_is_not_nacked()
    {
        var (stats, _) = Receive(Enumerable.Range(0, K + M), lost: [1]);
        Assert.That(Nacks(stats), Is.Empty, "5 of 6 arrived: the block is reconstructed from parity");
    }

    [Test]
    public void Without_the_planner_every_gap_is_nacked()
    {
        var stats = new ReceiverStatistics();
        foreach (var seq in new[] { 0, 2, 3, 4, 5 })
        {
            stats.OnPacket(seq, seq * 100, seq * 100 + 20_000);
        }
        Assert.That(Nacks(stats), Is.EqualTo(new long[] { 1 }));
    }

    [Test]
    public void A_loss_is_not_nacked_while_the_blocks_parity_is_still_on_its_way()
    {
        var planner = new BlockNackPlanner();
        var (stats, _) = Receive([0, 1, 2], lost: [1], planner: planner);
        Assert.That(Nacks(stats), Is.Empty, "shards 3..5 are not due yet: 2 + 3 >= k");
        Receive([3, 4, 5], lost: [], stats: stats, planner: planner);
        Assert.That(Nacks(stats, 2_000_000), Is.Empty, "the block completed from parity: never NACKed afterwards");
    }

    [Test]
    public void Only_as_many_data_shards_as_the_block_lacks_are_nacked_once()
    {
        // Lost: data 1 and 2, parity 4 -> 3 of 6 arrived, k = 4: one shard short.
        var (stats, planner) = Receive(Enumerable.Range(0, K + M), lost: [1, 2, 4]);
        Receive([0], lost: [], frame: 2, baseSeq: 6, stats: stats, planner: planner); // a later frame: everything of block 1 was due
        Assert.That(Nacks(stats), Is.EqualTo(new long[] { 1 }), "one resend of a data shard completes the block");
        Assert.That(Nacks(stats, 1_050_000), Is.Empty, "asked once");
    }

    [Test]
    public void A_lost_tail_is_nacked_once_later_traffic_shows_it_was_due()
    {
        // Data 0, 1 arrived; 2..5 lost (a burst at the end of the block).
        var planner = new BlockNackPlanner();
        var (stats, _) = Receive([0, 1], lost: [], planner: planner);
        Assert.That(Nacks(stats), Is.Empty, "the rest may still come");
        Receive([0, 1, 2], lost: [], frame: 2, baseSeq: 6, stats: stats, planner: planner);
        Assert.That(Nacks(stats, 1_050_000), Is.EqualTo(new long[] { 2, 3 }), "two data shards short, parity is never resent");
    }

    [Test]
    public void Gaps_outside_any_known_block_are_still_nacked()
    {
        // Frame 1 complete at 0..5, all of frame 2 (6..11) lost, frame 3 starts at 12.
        var planner = new BlockNackPlanner();
        var (stats, _) = Receive(Enumerable.Range(0, K + M), lost: [], planner: planner);
        Receive([0], lost: [], frame: 3, baseSeq: 12, stats: stats, planner: planner);
        Assert.That(Nacks(stats), Is.EqualTo(new long[] { 6, 7, 8, 9, 10, 11 }));
    }
}
