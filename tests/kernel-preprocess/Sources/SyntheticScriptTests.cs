using Aqs.Kernel.Preprocess.Sources;
using static Aqs.Kernel.Preprocess.Sources.SyntheticScript;

namespace Aqs.Kernel.Preprocess.Tests.Sources;

public class SyntheticScriptTests
{
    [Test]
    public void Script_parses_the_documented_example()
    {
        var s = Parse("0s:calm;3s:pan fast;6s:cut;6s:detail 0.9");
        Assert.That(s.Entries.Select(e => e.Time), Is.EqualTo(new[] { 0.0, 3, 6, 6 }));
        Assert.That(s.Entries[1].Actions, Is.EqualTo(new[] { new ScriptAction(ScriptActionKind.Motion, 16) }));
        Assert.That(s.Entries[2].Actions.Single().Kind, Is.EqualTo(ScriptActionKind.Cut));
    }

    [Test]
    public void Script_accepts_ms_frames_several_actions_and_a_file_with_comments()
    {
        using var files = new TestFiles();
        var path = files.Write("s.txt", System.Text.Encoding.UTF8.GetBytes("# warm-up\n0s: calm\n250ms: motion 3, noise 0.4  # grain\n\n90f: cuts 2\n"));
        var s = Parse("@" + path);
        Assert.That(s.Entries, Has.Count.EqualTo(3));
        Assert.That(s.Entries[1].Time, Is.EqualTo(0.25).Within(1e-12));
        Assert.That(s.Entries[1].Actions, Has.Count.EqualTo(2));
        Assert.That((s.Entries[2].Time, s.Entries[2].InFrames), Is.EqualTo((90.0, true)));
    }

    [TestCase("3s pan", "must be TIME:ACTION")]
    [TestCase("xs:calm", "bad time")]
    [TestCase("3s:pan fst", "unknown pan speed 'fst'")]
    [TestCase("3s:detail 2", "needs one number 0..1")]
    [TestCase("3s:wobble", "unknown action 'wobble'")]
    [TestCase("3s:calm 4", "takes no value")]
    [TestCase("3s:", "empty action")]
    [TestCase(" ; ", "no entries")]
    [TestCase("@/nonexistent/script.txt", "cannot read")]
    public void Script_errors_are_one_line_and_name_the_entry(string text, string expected)
    {
        var e = Assert.Throws<SourceException>(() => Parse(text))!;
        Assert.That(e.Message, Does.Contain(expected).And.Not.Contain("\n"));
    }

    [Test]
    public void Script_file_errors_name_the_line()
    {
        using var files = new TestFiles();
        var path = files.Write("bad.txt", System.Text.Encoding.UTF8.GetBytes("0s:calm\n1s:zoom\n"));
        Assert.That(Assert.Throws<SourceException>(() => Parse("@" + path))!.Message, Does.Contain("line 2"));
    }
}
