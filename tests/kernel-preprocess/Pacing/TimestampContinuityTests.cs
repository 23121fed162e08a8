using Aqs.Kernel.Preprocess.Pacing;

namespace Aqs.Kernel.Preprocess.Tests.Pacing;

public class TimestampContinuityTests
{
    private const long Frame = 33_333_333;

    [Test]
    public void Steady_and_variable_frame_rate_timestamps_pass_unchanged()
    {
        var continuity = new TimestampContinuity(Frame);
        long[] source = [0, Frame, 2 * Frame, 2 * Frame + 1_500_000_000, 2 * Frame + 1_500_000_000 + Frame];

        var published = source.Select(continuity.Next).ToArray();

        Assert.That(published, Is.EqualTo(source));
        Assert.That(continuity.Discontinuities, Is.Zero);
    }

    [Test]
    public void A_timestamp_going_back_continues_one_frame_later_and_the_frames_after_it_keep_the_shift()
    {
        var continuity = new TimestampContinuity(Frame);

        var published = new[] { 0, Frame, 2 * Frame, -10_000_000_000, -10_000_000_000 + Frame, 2 * Frame }.Select(continuity.Next).ToArray();

        Assert.That(published, Is.EqualTo(new[] { 0, Frame, 2 * Frame, 3 * Frame, 4 * Frame, 5 * Frame }));
        Assert.That(continuity.Discontinuities, Is.EqualTo(2), "the jump back, then the jump forward to where the source was");
    }

    [Test]
    public void A_repeated_timestamp_is_moved_one_frame_on()
    {
        var continuity = new TimestampContinuity(Frame);

        var published = new long[] { 0, Frame, Frame, 2 * Frame }.Select(continuity.Next).ToArray();

        Assert.That(published, Is.Ordered.Ascending.And.Unique);
        Assert.That(continuity.Discontinuities, Is.EqualTo(1));
    }

    [Test]
    public void A_forward_jump_of_an_hour_continues_one_frame_later()
    {
        var continuity = new TimestampContinuity(Frame);

        var published = new[] { 0, Frame, 3_600_000_000_000 + 2 * Frame, 3_600_000_000_000 + 3 * Frame }.Select(continuity.Next).ToArray();

        Assert.That(published, Is.EqualTo(new[] { 0, Frame, 2 * Frame, 3 * Frame }));
        Assert.That(continuity.Discontinuities, Is.EqualTo(1));
    }

    [Test]
    public void Timestamps_from_either_end_of_the_range_never_wrap_round_into_going_back()
    {
        var continuity = new TimestampContinuity(Frame);

        var published = new[] { 0, long.MaxValue / 2, long.MinValue, long.MaxValue, long.MinValue + 1, Frame }.Select(continuity.Next).ToArray();

        Assert.That(published, Is.Ordered.Ascending.And.Unique);
    }
}
