using System.CommandLine;
using Aqs.Kernel.Display;
using Aqs.Kernel.Encode;
using Aqs.Kernel.Network;
using Aqs.Kernel.Preprocess;
using Aqs.Shared.Cli;
using Aqs.Tests.Infrastructure;
using CsCheck;

namespace Aqs.Orchestration.Tests.Kernels;

/// <summary>
/// Every kernel's flag table (and Kernel C's AQS flags) given random and near-miss arguments through the same host
/// the kernels run under: exit 0, or exit 2 with one line; never "unexpected", a stack trace, or another code.
/// </summary>
[NonParallelizable]
public class KernelFlagsFuzzTests
{
    private static IEnumerable<TestCaseData> Tables()
    {
        yield return Case("preprocess", new PreprocessFlags().All, (t, p) => ((PreprocessFlags)t).Validate(p), new PreprocessFlags());
        yield return Case("network", new NetworkFlags().All, (t, p) => ((NetworkFlags)t).Validate(p), new NetworkFlags());
        yield return Case("display", new DisplayFlags().All, (t, p) => ((DisplayFlags)t).Validate(p), new DisplayFlags());
        var aqs = new AqsFlags();
        yield return Case("encode (aqs)", aqs.All, (t, p) => ((AqsFlags)t).Read(p), aqs);
    }

    private static TestCaseData Case(string name, IEnumerable<Option> options, Action<object, ParseResult> check, object table) =>
        new TestCaseData(name, options.ToArray(), check, table).SetArgDisplayNames(name);

    private static readonly string[] Values =
    [
        "0", "-1", "1", "2", "30", "60", "120", "999999999999", "1e9", "NaN", "-0", "0.5", "1/0", "60000/1001",
        "on", "off", "auto", "true", "maybe", "", " ", "10s", "0ms", "-5s", "1h", "720p", "1280x720", "0x0", "x",
        "quality", "sports", "latency", "seed", "libx264", "nope", "/dev/null", "/no/such/file", "loss=5%", "bw=1mbit", "%",
        "--", "-", "\u0000", "\u00e9\u00e8", "../../etc/passwd",
    ];

    [TestCaseSource(nameof(Tables))]
    public void Random_flags_and_values_end_in_exit_0_or_one_line_and_exit_2(string name, Option[] options, Action<object, ParseResult> check, object table)
    {
        var names = options.Select(o => o.Name).Concat(["--no-such-flag", "-x", "--help-me", "--session"]).ToArray();
        var token = Gen.Frequency(
            (3, Gen.OneOfConst(names)),
            (4, Gen.OneOfConst(Values)),
            (1, Gen.String[0, 12]));
        FixedSeedFuzz.Run($"cli flags {name}", token.Array[0, 8], seed: (ulong)name.Length * 7919, iterations: 600, args =>
        {
            var root = new RootCommand();
            foreach (var o in options)
            {
                root.Options.Add(o);
            }
            root.SetAction(parse =>
            {
                check(table, parse);
                return 0;
            });
            var error = new StringWriter();
            var saved = Console.Error;
            int code;
            Console.SetError(error);
            try
            {
                code = CommandLineHost.Run("kernel-" + name, root, args);
            }
            finally
            {
                Console.SetError(saved);
            }
            var text = error.ToString();
            Assert.That(code, Is.EqualTo(0).Or.EqualTo(CommandLineHost.ExitUsage), text);
            Assert.That(text, Does.Not.Contain("unexpected"));
            if (code != 0)
            {
                FixedSeedFuzz.AssertOneLine(text);
            }
            return code != 0;
        });
    }
}
