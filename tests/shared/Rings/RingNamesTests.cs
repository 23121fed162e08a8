using Aqs.Shared.Rings;

namespace Aqs.Shared.Tests.Rings;

public class RingNamesTests
{
    [Test]
    public void Ring_path_is_aqs_session_ring_in_dev_shm()
    {
        Assert.That(RingNames.PathFor("s1", "raw"), Is.EqualTo("/dev/shm/aqs.s1.raw"));
    }

    [TestCase("")]
    [TestCase("a.b")]
    [TestCase("a/b")]
    [TestCase("a b")]
    [TestCase("line\nbreak")]
    public void Bad_session_name_is_refused_in_one_line(string session)
    {
        var ex = Assert.Throws<RingException>(() => RingNames.ValidateSession(session));
        Assert.That(ex!.Message, Does.Contain("session"));
        Assert.That(ex.Message, Does.Not.Contain("\n"));
    }

    [Test]
    public void Overlong_ring_name_is_refused()
    {
        var ex = Assert.Throws<RingException>(() => RingNames.PathFor("s", new string('r', 65)));
        Assert.That(ex!.Message, Does.Contain("65 characters"));
    }
}
