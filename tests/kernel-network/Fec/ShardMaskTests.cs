using Aqs.Kernel.Network.Fec;

namespace Aqs.Kernel.Network.Tests.Fec;

public class ShardMaskTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(63)]
    [TestCase(64)]
    [TestCase(65)]
    [TestCase(200)]
    [TestCase(256)]
    public void FirstN_sets_exactly_the_first_n_bits(int n)
    {
        var mask = ShardMask.FirstN(n);
        Assert.That(mask.Count, Is.EqualTo(n));
        Assert.That(Enumerable.Range(0, 256).Where(i => mask[i]), Is.EqualTo(Enumerable.Range(0, n)));
    }

    [Test]
    public void Set_clear_and_count_below_agree_across_word_boundaries()
    {
        var mask = default(ShardMask);
        foreach (var i in new[] { 0, 63, 64, 127, 128, 200, 255 })
        {
            mask.Set(i);
        }
        mask.Clear(128);
        Assert.That(mask.Count, Is.EqualTo(6));
        Assert.That(mask.CountBelow(64), Is.EqualTo(2));
        Assert.That(mask.CountBelow(65), Is.EqualTo(3));
        Assert.That(mask.CountBelow(201), Is.EqualTo(5));
        Assert.That(mask.CountBelow(256), Is.EqualTo(6));
        Assert.That(mask[128], Is.False);
        Assert.That(mask[255], Is.True);
    }

    [Test]
    public void Index_outside_256_shards_is_refused_with_the_value()
    {
        var mask = default(ShardMask);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => mask.Set(256));
        Assert.That(error!.Message, Does.Contain("0..255"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = mask[-1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => ShardMask.FirstN(257));
    }
}
