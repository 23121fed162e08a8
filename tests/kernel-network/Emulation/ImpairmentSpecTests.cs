using Aqs.Kernel.Network.Emulation;
using Aqs.Shared.Cli;

namespace Aqs.Kernel.Network.Tests.Emulation;

public class ImpairmentSpecTests
{
    [Test]
    public void Spec_parses_every_documented_key()
    {
        var spec = ImpairmentSpec.Parse("trace:../shared/data/traces/x.down,loss:2%,burst:5,delay:30ms,jitter:10ms,queue:100,reorder:1%,seed:9");
        Assert.Multiple(() =>
        {
            Assert.That(spec.TracePath, Is.EqualTo("../shared/data/traces/x.down"));
            Assert.That(spec.LossRate, Is.EqualTo(0.02).Within(1e-12));
            Assert.That(spec.MeanBurstLength, Is.EqualTo(5));
            Assert.That(spec.IsBursty, Is.True);
            Assert.That(spec.DelayUs, Is.EqualTo(30_000));
            Assert.That(spec.JitterUs, Is.EqualTo(10_000));
            Assert.That(spec.QueuePackets, Is.EqualTo(100));
            Assert.That(spec.QueueDelayUs, Is.Null);
            Assert.That(spec.ReorderRate, Is.EqualTo(0.01).Within(1e-12));
            Assert.That(spec.Seed, Is.EqualTo(9UL));
            Assert.That(spec.JitterReorders, Is.False);
        });
    }

    [Test]
    public void Spec_reads_queue_in_ms_fractions_and_seconds()
    {
        var spec = ImpairmentSpec.Parse("queue:150ms,loss:0.05,delay:0.5s,jitter:500us,jitter-reorder:on");
        Assert.Multiple(() =>
        {
            Assert.That(spec.QueueDelayUs, Is.EqualTo(150_000));
            Assert.That(spec.QueuePackets, Is.Null);
            Assert.That(spec.LossRate, Is.EqualTo(0.05).Within(1e-12));
            Assert.That(spec.IsBursty, Is.False);
            Assert.That(spec.DelayUs, Is.EqualTo(500_000));
            Assert.That(spec.JitterUs, Is.EqualTo(500));
            Assert.That(spec.JitterReorders, Is.True);
        });
    }

    [TestCase("")]
    [TestCase("none")]
    public void Empty_spec_is_a_perfect_link(string text)
    {
        Assert.That(ImpairmentSpec.Parse(text), Is.EqualTo(ImpairmentSpec.None));
    }

    [TestCase("loss:abc", "loss")]
    [TestCase("loss:150%", "loss")]
    [TestCase("burst:0.5", "burst")]
    [TestCase("delay:-5ms", "delay")]
    [TestCase("delay:5 parsecs", "delay")]
    [TestCase("queue:0", "queue")]
    [TestCase("queue:-3ms", "queue")]
    [TestCase("bogus:1", "unknown key 'bogus'")]
    [TestCase("loss", "KEY:VALUE")]
    [TestCase("loss:1%,loss:2%", "twice")]
    [TestCase("jitter-reorder:maybe", "jitter-reorder")]
    [TestCase("loss:90%,burst:2", "impossible")]
    public void Bad_spec_gives_one_line_error_naming_the_problem(string text, string mention)
    {
        var error = Assert.Throws<UserFacingException>(() => ImpairmentSpec.Parse(text))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain(mention));
            Assert.That(error.Message, Does.Not.Contain('\n'));
            Assert.That(ImpairmentSpec.TryParse(text, out _, out var again), Is.False);
            Assert.That(again, Is.EqualTo(error.Message));
        });
    }
}
