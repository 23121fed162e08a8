using Aqs.Kernel.Network.Fec;
using Aqs.Tests.Infrastructure;
using CsCheck;

namespace Aqs.Kernel.Network.Tests.Fec;

public class ErasureCoderTests
{
    private static readonly Gen<(int K, int M, int Length, int Seed)> Blocks =
        Gen.Select(Gen.Int[1, 40], Gen.Int[0, 16], Gen.Int[1, 2500], Gen.Int);

    private static IEnumerable<GfPath> SupportedPaths() =>
        Enum.GetValues<GfPath>().Where(GfDotProduct.IsSupported);

    private static void RequireIsal()
    {
        if (!IsalErasureCoder.IsAvailable)
        {
            Assert.Ignore("libisal.so.2 (Debian libisal2) is not installed");
        }
    }

    [Test]
    public void Managed_parity_is_byte_identical_to_isal_for_random_blocks_on_every_simd_path()
    {
        RequireIsal();
        using var isal = new IsalErasureCoder();
        var coders = SupportedPaths().Select(p => new ManagedErasureCoder(p)).ToList();
        try
        {
            Blocks.SampleFixed(t =>
            {
                using var reference = new TestBlock(t.K, t.M, t.Length, t.Seed);
                isal.Encode(reference.Shards);
                var expected = reference.CopyAll();
                foreach (var coder in coders)
                {
                    using var block = new TestBlock(t.K, t.M, t.Length, t.Seed);
                    coder.Encode(block.Shards);
                    for (var i = 0; i < t.K + t.M; i++)
                    {
                        if (!block.Shards.Shard(i).SequenceEqual(expected[i]))
                        {
                            return false;
                        }
                    }
                }
                return true;
            }, seed: 0x5C0401, iter: 150, threads: 1);
        }
        finally
        {
            coders.ForEach(c => c.Dispose());
        }
    }

    [TestCaseSource(nameof(Engines))]
    public void Reconstruct_restores_every_data_shard_exactly_after_any_m_losses(string engine)
    {
        using var coder = MakeCoder(engine);
        Gen.Select(Blocks, Gen.Int).SampleFixed(t =>
        {
            var ((k, m, length, seed), lossSeed) = t;
            using var block = new TestBlock(k, m, length, seed);
            coder.Encode(block.Shards);
            var original = block.CopyAll();
            var random = new Random(lossSeed);
            var lost = Enumerable.Range(0, k + m).OrderBy(_ => random.Next()).Take(random.Next(m + 1)).ToList();
            var present = ShardMask.FirstN(k + m);
            foreach (var i in lost)
            {
                present.Clear(i);
                block.Shards.Shard(i).Fill(0xA5);
            }
            if (!coder.Reconstruct(block.Shards, present))
            {
                return false;
            }
            return Enumerable.Range(0, k).All(i => block.Shards.Shard(i).SequenceEqual(original[i]));
        }, seed: 0x5C0402, iter: 200, threads: 1);
    }

    [TestCaseSource(nameof(Engines))]
    public void Reconstruct_refuses_and_leaves_shards_alone_when_more_than_m_are_lost(string engine)
    {
        using var coder = MakeCoder(engine);
        using var block = new TestBlock(10, 4, 1200, 7);
        coder.Encode(block.Shards);
        var present = ShardMask.FirstN(14);
        foreach (var i in new[] { 0, 3, 5, 11, 13 })
        {
            present.Clear(i);
            block.Shards.Shard(i).Clear();
        }
        Assert.That(coder.Reconstruct(block.Shards, present), Is.False);
        Assert.That(block.Shards.Shard(0).ToArray(), Is.All.EqualTo(0));
    }

    [TestCaseSource(nameof(Engines))]
    public void Largest_block_of_255_shards_recovers_from_its_parity_count_of_losses(string engine)
    {
        using var coder = MakeCoder(engine);
        using var block = new TestBlock(200, 55, 200, 11);
        coder.Encode(block.Shards);
        var original = block.CopyAll();
        var present = ShardMask.FirstN(255);
        for (var i = 0; i < 55; i++)
        {
            present.Clear(i * 3);
            block.Shards.Shard(i * 3).Clear();
        }
        Assert.That(coder.Reconstruct(block.Shards, present), Is.True);
        for (var i = 0; i < 200; i++)
        {
            Assert.That(block.Shards.Shard(i).ToArray(), Is.EqualTo(original[i]), $"shard {i}");
        }
    }

    [TestCaseSource(nameof(Engines))]
    public void Reconstruct_picks_the_first_k_present_shards_across_mask_words_when_fewer_than_m_are_lost(string engine)
    {
        // k+m above 64 puts sources in several 64-bit words of the mask and, with spare shards present, makes the coder drop the surplus.
        using var coder = MakeCoder(engine);
        Gen.Select(Gen.Int[40, 200], Gen.Int[1, 55], Gen.Int[1, 80], Gen.Int).Where(t => t.Item1 + t.Item2 <= 255).SampleFixed(t =>
        {
            var (k, m, length, seed) = t;
            using var block = new TestBlock(k, m, length, seed);
            coder.Encode(block.Shards);
            var original = block.CopyAll();
            var random = new Random(seed);
            var present = ShardMask.FirstN(k + m);
            foreach (var i in Enumerable.Range(0, k + m).OrderBy(_ => random.Next()).Take(random.Next(m + 1)))
            {
                present.Clear(i);
                block.Shards.Shard(i).Fill(0x5A);
            }
            return coder.Reconstruct(block.Shards, present)
                && Enumerable.Range(0, k).All(i => block.Shards.Shard(i).SequenceEqual(original[i]));
        }, seed: 0x5C0403, iter: 60, threads: 1);
    }

    [TestCaseSource(nameof(Engines))]
    public void Reconstruct_stays_exact_when_loss_patterns_outnumber_the_table_cache(string engine)
    {
        // 120 patterns with 1 to 4 losses, twice round: evictions reuse slot memory for tables of other sizes.
        using var coder = MakeCoder(engine);
        using var block = new TestBlock(10, 4, 100, 5);
        coder.Encode(block.Shards);
        var original = block.CopyAll();
        var random = new Random(9);
        var patterns = Enumerable.Range(0, 120)
            .Select(_ => Enumerable.Range(0, 14).OrderBy(_ => random.Next()).Take(1 + random.Next(4)).ToArray())
            .ToList();
        for (var round = 0; round < 2; round++)
        {
            foreach (var lost in patterns)
            {
                var present = ShardMask.FirstN(14);
                foreach (var i in lost)
                {
                    present.Clear(i);
                    block.Shards.Shard(i).Fill(0xEE);
                }
                Assert.That(coder.Reconstruct(block.Shards, present), Is.True);
                for (var d = 0; d < 10; d++)
                {
                    Assert.That(block.Shards.Shard(d).SequenceEqual(original[d]), Is.True, $"round {round}, lost {string.Join(",", lost)}, shard {d}");
                }
                foreach (var i in lost.Where(i => i >= 10))
                {
                    original[i].CopyTo(block.Shards.Shard(i)); // parity is not rebuilt; restore it for the next pattern
                }
            }
        }
    }

    [TestCaseSource(nameof(Engines))]
    public void Reconstruct_refuses_an_unbound_source_shard_with_a_clear_error(string engine)
    {
        using var coder = MakeCoder(engine);
        using var buffer = new NativeBuffer(14 * 128);
        using var shards = new ShardSet();
        shards.Configure(10, 4, 100);
        for (var i = 0; i < 13; i++)
        {
            shards.Bind(i, buffer, i * 128); // shard 13, a parity shard, is never bound
        }
        var present = ShardMask.FirstN(14);
        for (var i = 0; i < 4; i++)
        {
            present.Clear(i); // 4 lost: the sources are shards 4..13, shard 13 among them
        }
        var error = Assert.Throws<InvalidOperationException>(() => coder.Reconstruct(shards, present));
        Assert.That(error!.Message, Does.Contain("not bound"));
        Assert.Throws<InvalidOperationException>(() => coder.Encode(shards));
        present.Set(3);
        present.Clear(13); // sources 3..12, all bound
        Assert.That(coder.Reconstruct(shards, present), Is.True);
    }

    [Test]
    public void Every_simd_path_agrees_with_scalar_for_lengths_around_vector_widths()
    {
        using var scalar = new ManagedErasureCoder(GfPath.Scalar);
        foreach (var path in SupportedPaths())
        {
            using var coder = new ManagedErasureCoder(path);
            foreach (var length in Enumerable.Range(1, 140).Concat([191, 192, 193, 1199, 1200, 1201]))
            {
                using var expected = new TestBlock(5, 3, length, length);
                scalar.Encode(expected.Shards);
                using var actual = new TestBlock(5, 3, length, length);
                coder.Encode(actual.Shards);
                for (var i = 5; i < 8; i++)
                {
                    Assert.That(actual.Copy(i), Is.EqualTo(expected.Copy(i)), $"{path}, length {length}, parity {i}");
                }
            }
        }
    }

    [Test]
    public void Managed_field_matrix_and_tables_match_isal_exports()
    {
        RequireIsal();
        using var isal = new IsalErasureCoder();
        var products = new byte[256 * 256];
        var expectedProducts = new byte[256 * 256];
        for (var a = 0; a < 256; a++)
        {
            for (var b = 0; b < 256; b++)
            {
                products[a * 256 + b] = GaloisField.Multiply((byte)a, (byte)b);
                expectedProducts[a * 256 + b] = IsalExports.Multiply((byte)a, (byte)b);
            }
        }
        Assert.That(products, Is.EqualTo(expectedProducts));
        foreach (var (k, m) in new[] { (1, 1), (10, 4), (32, 8), (200, 55) })
        {
            var managed = new byte[(k + m) * k];
            GaloisField.CauchyMatrix(managed, k, m);
            Assert.That(managed, Is.EqualTo(IsalExports.CauchyMatrix(k, m)), $"matrix {k}+{m}");
            var tables = new byte[32 * k * m];
            GaloisField.InitTables(k, m, managed.AsSpan(k * k), tables);
            Assert.That(tables, Is.EqualTo(IsalExports.InitTables(k, m, managed[(k * k)..])), $"tables {k}+{m}");
        }
    }

    [TestCaseSource(nameof(Engines))]
    public void Encode_and_cached_reconstruct_allocate_nothing_after_warm_up(string engine)
    {
        using var coder = MakeCoder(engine);
        using var block = new TestBlock(10, 4, 1200, 3);
        var present = ShardMask.FirstN(14);
        present.Clear(2);
        present.Clear(7);
        var other = ShardMask.FirstN(14);
        other.Clear(0);
        other.Clear(13);
        coder.Encode(block.Shards);
        coder.Reconstruct(block.Shards, present);
        coder.Reconstruct(block.Shards, other);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            // Encode, then two patterns in turn: each lookup misses the one-entry memo and goes to the cache.
            coder.Encode(block.Shards);
            coder.Reconstruct(block.Shards, present);
            coder.Reconstruct(block.Shards, other);
        }
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void Create_picks_isal_when_installed_and_says_so()
    {
        var lines = new List<string>();
        using var coder = ErasureCoder.Create(lines.Add);
        Assert.That(coder.Engine, Is.EqualTo(IsalErasureCoder.IsAvailable ? "isa-l" : new ManagedErasureCoder().Engine));
        Assert.That(lines, Has.Count.EqualTo(1).And.One.Contains(coder.Engine == "isa-l" ? "ISA-L" : "managed"));
    }

    [Test]
    public void Block_larger_than_255_shards_is_refused_with_the_values()
    {
        using var set = new ShardSet();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => set.Configure(250, 6, 100));
        Assert.That(error!.Message, Does.Contain("k=250, m=6"));
    }

    private static IEnumerable<string> Engines() => ["isa-l", .. Enum.GetValues<GfPath>().Select(p => p.ToString())];

    private static IErasureCoder MakeCoder(string engine)
    {
        if (engine == "isa-l")
        {
            RequireIsal();
            return new IsalErasureCoder();
        }
        var path = Enum.Parse<GfPath>(engine);
        if (!GfDotProduct.IsSupported(path))
        {
            Assert.Ignore($"this CPU lacks {path}");
        }
        return new ManagedErasureCoder(path);
    }
}
