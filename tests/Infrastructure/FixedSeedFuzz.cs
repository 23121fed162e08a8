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
