using CsCheck;

namespace Aqs.Tests.Infrastructure;

/// <summary>
/// Fuzzing with CsCheck generators on a fixed seed: the same inputs on every CI run, so a failure is a failure of the
/// change, not of the dice, and it replays from the seed and index it reports. <c>AQS_FUZZ_SCALE=N</c> runs N times
/// as many inputs (the longer offline run: <c>orchestration/aqs bench reliability --long</c>); <c>AQS_FUZZ_TALLY=FILE</c>
/// appends one line per target (name, inputs, rejected) for the reliability report.
/// </summary>
public static class FixedSeedFuzz
{
    public static int Scale => int.TryParse(Environment.GetEnvironmentVariable("AQS_FUZZ_SCALE"), out var s) && s > 0 ? s : 1;

    /// <summary>
    /// Feeds <paramref name="iterations"/> (times <see cref="Scale"/>) inputs from <paramref name="gen"/> seeded with
    /// <paramref name="seed"/> to <paramref name="check"/>, which returns whether the input was refused (a one-line
    /// error or a counted drop) and asserts whatever else must hold. Anything it throws fails the test naming the input.
    /// </summary>
    public static void Run<T>(string target, Gen<T> gen, ulong seed, int iterations, Func<T, bool> check, Func<T, string>? print = null)
    {
        var total = (long)iterations * Scale;
        var refused = 0L;
        for (var i = 0L; i < total; i++)
        {
            var pcg = new PCG(1, seed + (ulong)i);
            var input = gen.Generate(pcg, null, out _);
            try
            {
                if (check(input))
                {
                    refused++;
                }
            }
            catch (Exception ex) when (ex is not IgnoreException)
            {
                throw new AssertionException(
                    $"{target}: input {i} (seed {seed}+{i}, CsCheck seed {new PCG(1, seed + (ulong)i)}) broke it: {ex.GetType().Name}: {ex.Message}\n" +
                    $"input: {(print ?? Describe)(input)}", ex);
            }
        }
        TestContext.Out.WriteLine($"fuzz {target}: {total} inputs, {refused} refused, 0 unexpected");
        if (Environment.GetEnvironmentVariable("AQS_FUZZ_TALLY") is { Length: > 0 } tally)
        {
            File.AppendAllText(tally, $"{target}\t{total}\t{refused}\n");
        }
    }

    /// <summary>
    /// CsCheck's <c>Sample</c> on fixed seeds: input i comes from PCG seed <paramref name="seed"/> + i, so every run
    /// checks the same <paramref name="iter"/> (times <see cref="Scale"/>) inputs and a failure names the one that broke
    /// it. One thread (<paramref name="threads"/> is accepted so a <c>Sample</c> call converts by its name alone).
    /// </summary>
    public static void SampleFixed<T>(this Gen<T> gen, Action<T> assert, ulong seed, long iter = 100, int threads = 1)
    {
        var total = iter * Scale;
        for (var i = 0L; i < total; i++)
        {
            var input = gen.Generate(new PCG(1, seed + (ulong)i), null, out _);
            try
            {
                assert(input);
            }
            catch (Exception ex) when (ex is not IgnoreException)
            {
                throw new AssertionException($"input {i} (fixed seed {seed}+{i}) broke it: {ex.GetType().Name}: {ex.Message}\ninput: {Describe(input)}", ex);
            }
        }
    }

    /// <summary><see cref="SampleFixed{T}(Gen{T}, Action{T}, ulong, long, int)"/> for a property that returns whether it held.</summary>
    public static void SampleFixed<T>(this Gen<T> gen, Func<T, bool> property, ulong seed, long iter = 100, int threads = 1) =>
        gen.SampleFixed(t => Assert.That(property(t), Is.True, "property held"), seed, iter, threads);

    public static void SampleFixed<T1, T2, T3, T4>(this Gen<(T1, T2, T3, T4)> gen, Action<T1, T2, T3, T4> assert, ulong seed, long iter = 100, int threads = 1) =>
        gen.SampleFixed(t => assert(t.Item1, t.Item2, t.Item3, t.Item4), seed, iter, threads);

    public static void SampleFixed<T1, T2, T3, T4, T5>(this Gen<(T1, T2, T3, T4, T5)> gen, Action<T1, T2, T3, T4, T5> assert, ulong seed, long iter = 100, int threads = 1) =>
        gen.SampleFixed(t => assert(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5), seed, iter, threads);

    /// <summary>Asserts <paramref name="message"/> is one line a user can read: no line breaks, no stack frames.</summary>
    public static void AssertOneLine(string message)
    {
        Assert.That(message.Trim(), Does.Not.Contain('\n'), message);
        Assert.That(message, Does.Not.Contain("   at "), message);
        Assert.That(message.Trim(), Is.Not.Empty);
    }

    private static string Describe<T>(T input) => input switch
    {
        byte[] bytes => Convert.ToHexString(bytes.AsSpan(0, Math.Min(bytes.Length, 256))) + (bytes.Length > 256 ? $"... ({bytes.Length} bytes)" : ""),
        string[] args => string.Join(' ', args.Select(a => $"'{a}'")),
        _ => input?.ToString() ?? "null",
    };
}
