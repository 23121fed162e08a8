using System.CommandLine;
using Aqs.Kernel.Display;
using Aqs.Kernel.Network;
using Aqs.Kernel.Preprocess;
using Aqs.Orchestration.Run;
using Aqs.Orchestration.Tests.Infrastructure;
using Aqs.Shared.Cli;

namespace Aqs.Orchestration.Tests.Kernels;

/// <summary>One way to say things: each kernel's flag table is what the kernel and aqs run both accept.</summary>
public class KernelFlagsTests
{
    private static IEnumerable<TestCaseData> Tables()
    {
        yield return new TestCaseData(new PreprocessFlags()).SetArgDisplayNames("preprocess");
        yield return new TestCaseData(new NetworkFlags()).SetArgDisplayNames("network");
        yield return new TestCaseData(new DisplayFlags()).SetArgDisplayNames("display");
    }

    [TestCaseSource(nameof(Tables))]
    public void Aqs_run_offers_every_kernel_flag_but_those_the_pipeline_sets_itself(KernelFlags table)
    {
        var run = RunCommand.Create();
        var offered = run.Options.Select(o => o.Name).ToHashSet();
        var owned = table.PipelineOwned.Select(o => o.Name).ToHashSet();

        Assert.That(table.All.Select(o => o.Name).Where(n => !owned.Contains(n)), Is.SubsetOf(offered));
    }

    [Test]
    public void A_kernel_flag_given_to_aqs_run_is_forwarded_to_its_kernel_as_given()
    {
        var run = RunCommand.Create();
        var parse = run.Parse(["--fec", "seed", "--send-pacing", "off", "--frame-deadline", "200ms", "--retransmit"]);

        var network = new NetworkFlags();
        var forwarded = network.Forward(RootFor(network, ["--fec", "seed", "--send-pacing", "off", "--frame-deadline", "200ms", "--retransmit"]));

        Assert.Multiple(() =>
        {
            Assert.That(parse.Errors, Is.Empty);
            Assert.That(forwarded, Is.EqualTo(new[] { "--fec", "seed", "--frame-deadline", "200ms", "--send-pacing", "off", "--retransmit" }));
        });
    }

    [Test]
    public void A_flag_left_out_is_not_forwarded_so_the_kernel_keeps_its_one_default()
    {
        var display = new DisplayFlags();
        var forwarded = display.Forward(RootFor(display, []));

        Assert.That(forwarded, Is.Empty);
    }

    [TestCase("on", true)]
    [TestCase("off", false)]
    [TestCase("true", true)]
    [TestCase("false", false)]
    public void Every_yes_no_flag_takes_on_and_off(string word, bool expected)
    {
        var flags = new DisplayFlags();
        var parse = RootFor(flags, ["--vmaf", word]);

        Assert.Multiple(() =>
        {
            Assert.That(parse.Errors, Is.Empty);
            Assert.That(flags.Read(parse, Aqs.Shared.Kernel.KernelContext.None).Vmaf, Is.EqualTo(expected));
        });
    }

    [Test]
    public void A_bad_value_fails_in_the_launcher_with_the_kernels_own_words()
    {
        var (exitCode, _, stderr) = AqsCli.Run(Path.GetTempPath(), TimeSpan.FromSeconds(30), "run", "--fec", "magic");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(stderr.Trim(), Is.EqualTo("aqs: --fec: 'magic' is not adaptive, seed or off"));
        });
    }

    [TestCase("run")]
    [TestCase("set")]
    [TestCase("report")]
    [TestCase("compare")]
    [TestCase("soak")]
    [TestCase("quality")]
    public void Every_verb_answers_help(string verb)
    {
        var (exitCode, stdout, _) = AqsCli.Run(Path.GetTempPath(), TimeSpan.FromSeconds(30), verb, "--help");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero);
            Assert.That(stdout, Does.Contain("Usage:").And.Contain(verb));
        });
    }

    private static ParseResult RootFor(KernelFlags flags, string[] args)
    {
        var root = new RootCommand();
        flags.AddTo(root);
        return root.Parse(args);
    }
}
