using Aqs.Kernel.Network.Emulation;
using Aqs.Kernel.Network.Feedback;

namespace Aqs.Kernel.Network.Tests.Feedback;

public class FeedbackCodecTests
{
    private static FeedbackReport Sample()
    {
        var r = new FeedbackReport
        {
            ReportSequence = 65530,
            ReportTimeUs = 12_345_600,
            BaseSequence = 1_000_000,
            HighestSequence = 1_000_009,
            CumulativeLost = 77,
            IntervalLossFraction = 0.2,
            LossRate = 0.031,
            MeanBurstLength = 2.5,
            JitterUs = 4321,
            EchoSendTimeUs = 99_999_999,
            EchoHoldUs = 1234,
            ArrivalCount = 10,
            NackCount = 2,
        };
        for (var i = 0; i < 10; i++)
        {
            r.ArrivalTimesUs[i] = i is 3 or 4 ? FeedbackReport.NotReceived : 12_300_000 + i * 1_500;
        }
        r.Nacks[0] = 1_000_003;
        r.Nacks[1] = 1_000_004;
        return r;
    }

    [Test]
    public void Report_round_trips_through_bytes()
    {
        var original = Sample();
        var buffer = new byte[FeedbackCodec.MaxEncodedSize];
        Assert.That(FeedbackCodec.TryWrite(original, buffer, out var written), Is.True);
        var parsed = new FeedbackReport();
        Assert.That(FeedbackCodec.TryParse(buffer.AsSpan(0, written), parsed), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(written, Is.EqualTo(FeedbackCodec.HeaderSize + 10 * 2 + 2 * 2));
            Assert.That(parsed.ReportSequence, Is.EqualTo(original.ReportSequence));
            Assert.That(parsed.ReportTimeUs, Is.EqualTo(original.ReportTimeUs));
            Assert.That(parsed.BaseSequence, Is.EqualTo(original.BaseSequence));
            Assert.That(parsed.HighestSequence, Is.EqualTo(original.HighestSequence));
            Assert.That(parsed.CumulativeLost, Is.EqualTo(original.CumulativeLost));
            Assert.That(parsed.IntervalLossFraction, Is.EqualTo(0.2).Within(1e-4));
            Assert.That(parsed.LossRate, Is.EqualTo(0.031).Within(1e-4));
            Assert.That(parsed.MeanBurstLength, Is.EqualTo(2.5).Within(1 / 256.0));
            Assert.That(parsed.JitterUs, Is.EqualTo(original.JitterUs));
            Assert.That(parsed.EchoSendTimeUs, Is.EqualTo(original.EchoSendTimeUs));
            Assert.That(parsed.EchoHoldUs, Is.EqualTo(original.EchoHoldUs));
            Assert.That(parsed.Arrivals.ToArray(), Is.EqualTo(original.Arrivals.ToArray()), "arrivals on the 100 µs grid come back exactly");
            Assert.That(parsed.NackList.ToArray(), Is.EqualTo(original.NackList.ToArray()));
        });
    }

    [Test]
    public void Off_grid_arrivals_come_back_within_half_a_tick_without_drift()
    {
        var r = Sample();
        for (var i = 0; i < 10; i++)
        {
            r.ArrivalTimesUs[i] = 12_300_000 + i * 1_537 + 13;
        }
        var buffer = new byte[FeedbackCodec.MaxEncodedSize];
        FeedbackCodec.TryWrite(r, buffer, out var written);
        var parsed = new FeedbackReport();
        FeedbackCodec.TryParse(buffer.AsSpan(0, written), parsed);
        for (var i = 0; i < 10; i++)
        {
            Assert.That(parsed.ArrivalTimesUs[i], Is.EqualTo(r.ArrivalTimesUs[i]).Within(FeedbackCodec.TickUs / 2));
        }
    }

    [Test]
    public void Full_report_fits_one_datagram()
    {
        Assert.That(FeedbackCodec.MaxEncodedSize, Is.LessThanOrEqualTo(1200));
    }

    [Test]
    public void Parse_never_throws_on_random_or_mutated_bytes()
    {
        var random = new DeterministicRandom(11);
        var valid = new byte[FeedbackCodec.MaxEncodedSize];
        FeedbackCodec.TryWrite(Sample(), valid, out var validLength);
        var into = new FeedbackReport();
        var buffer = new byte[FeedbackCodec.MaxEncodedSize + 64];
        int accepted = 0, rejected = 0;
        for (var i = 0; i < 100_000; i++)
        {
            int length;
            if (i % 2 == 0)
            {
                length = (int)(random.NextUInt64() % (ulong)buffer.Length);
                for (var j = 0; j < length; j++)
                {
                    buffer[j] = (byte)random.NextUInt64();
                }
                if (length > 0 && i % 4 == 0)
                {
                    buffer[0] = FeedbackCodec.Version;
                }
            }
            else
            {
                valid.AsSpan(0, validLength).CopyTo(buffer);
                length = validLength + (int)(random.NextUInt64() % 5) - 2;
                for (var flips = 0; flips < 3; flips++)
                {
                    buffer[(int)(random.NextUInt64() % (ulong)validLength)] ^= (byte)(1 + random.NextUInt64() % 255);
                }
            }
            if (FeedbackCodec.TryParse(buffer.AsSpan(0, length), into))
            {
                accepted++;
                Assert.That(into.ArrivalCount, Is.InRange(0, FeedbackReport.MaxArrivals));
                Assert.That(into.NackCount, Is.InRange(0, FeedbackReport.MaxNacks));
            }
            else
            {
                rejected++;
            }
        }
        Assert.That(accepted + rejected, Is.EqualTo(100_000));
        Assert.That(rejected, Is.GreaterThan(50_000));
    }

    [Test]
    public void Truncated_report_is_rejected()
    {
        var buffer = new byte[FeedbackCodec.MaxEncodedSize];
        FeedbackCodec.TryWrite(Sample(), buffer, out var written);
        var into = new FeedbackReport();
        for (var length = 0; length < written; length++)
        {
            Assert.That(FeedbackCodec.TryParse(buffer.AsSpan(0, length), into), Is.False, $"length {length}");
        }
    }
}
