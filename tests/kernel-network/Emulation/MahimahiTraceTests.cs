using Aqs.Kernel.Network.Emulation;
using Aqs.Shared.Cli;

namespace Aqs.Kernel.Network.Tests.Emulation;

public class MahimahiTraceTests
{
    [Test]
    public void Malformed_line_is_reported_as_file_colon_line()
    {
        var error = Assert.Throws<UserFacingException>(() => MahimahiTrace.Parse(new StringReader("1\n2\n\nthree\n4\n"), "my.trace"))!;
        Assert.That(error.Message, Does.StartWith("my.trace:4:"));
        Assert.That(error.Message, Does.Not.Contain('\n'));
    }

    [Test]
    public void Decreasing_timestamp_is_reported_with_its_line()
    {
        var error = Assert.Throws<UserFacingException>(() => MahimahiTrace.Parse(new StringReader("5\n7\n6\n"), "t"))!;
        Assert.That(error.Message, Does.StartWith("t:3:"));
    }

    [TestCase("")]
    [TestCase("0\n0\n")]
    public void Trace_without_positive_period_is_refused(string text)
    {
        Assert.Throws<UserFacingException>(() => MahimahiTrace.Parse(new StringReader(text), "t"));
    }

    [Test]
    public void Missing_file_is_a_one_line_error()
    {
        var error = Assert.Throws<UserFacingException>(() => MahimahiTrace.Load("/nonexistent/trace.down"))!;
        Assert.That(error.Message, Does.Contain("/nonexistent/trace.down"));
    }

    [Test]
    public void Trace_loops_with_its_last_timestamp_as_period()
    {
        var trace = MahimahiTrace.Parse(new StringReader("0\n3\n3\n10\n"), "t");
        Assert.Multiple(() =>
        {
            Assert.That(trace.PeriodMs, Is.EqualTo(10));
            Assert.That(trace.OpportunityTimeMs(0), Is.EqualTo(0));
            Assert.That(trace.OpportunityTimeMs(3), Is.EqualTo(10));
            Assert.That(trace.OpportunityTimeMs(4), Is.EqualTo(10));
            Assert.That(trace.OpportunityTimeMs(5), Is.EqualTo(13));
            Assert.That(trace.FirstOpportunityAtOrAfter(4), Is.EqualTo(3));
            Assert.That(trace.FirstOpportunityAtOrAfter(10), Is.EqualTo(3));
            Assert.That(trace.FirstOpportunityAtOrAfter(11), Is.EqualTo(5));
            Assert.That(trace.CountOpportunities(20), Is.EqualTo(7));
        });
    }

    [TestCase(1e6)]
    [TestCase(6e6)]
    [TestCase(23.3e6)]
    public void Generated_constant_trace_has_the_requested_rate(double bps)
    {
        var trace = TraceGenerator.Constant(bps, 10_000);
        Assert.Multiple(() =>
        {
            Assert.That(trace.MeanBitsPerSecond, Is.EqualTo(bps).Within(0.5).Percent);
            Assert.That(trace.CapacityBitsPerSecond(2_000, 2_500), Is.EqualTo(bps).Within(1).Percent);
        });
    }

    [Test]
    public void Generated_step_and_sawtooth_follow_their_shape()
    {
        var step = TraceGenerator.Step(4e6, 1e6, 5_000, 10_000);
        var saw = TraceGenerator.Sawtooth(1e6, 5e6, 2_000, 10_000);
        Assert.Multiple(() =>
        {
            Assert.That(step.CapacityBitsPerSecond(1_000, 5_000), Is.EqualTo(4e6).Within(1).Percent);
            Assert.That(step.CapacityBitsPerSecond(5_000, 10_000), Is.EqualTo(1e6).Within(1).Percent);
            Assert.That(saw.CapacityBitsPerSecond(2_000, 2_200), Is.LessThan(1.6e6));
            Assert.That(saw.CapacityBitsPerSecond(3_800, 4_000), Is.GreaterThan(4.4e6));
            Assert.That(saw.MeanBitsPerSecond, Is.EqualTo(3e6).Within(2).Percent);
        });
    }
}
