using Aqs.Kernel.Network.Transport;
using Aqs.Shared.Cli;

namespace Aqs.Kernel.Network.Tests.Transport;

/// <summary>--key-file: written 0600, and refused in one line when others may read it.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class SessionKeyFileTests
{
    private string _path = "";

    [SetUp]
    public void NewPath() => _path = Path.Combine(Path.GetTempPath(), "aqs-session-key-" + Guid.NewGuid().ToString("N")[..8]);

    [TearDown]
    public void Remove() => File.Delete(_path);

    [Test]
    public void Key_file_is_created_0600_and_loads_back()
    {
        var key = SessionKeys.CreateFile(_path);

        Assert.That(File.GetUnixFileMode(_path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(SessionKeys.Load(_path), Is.EqualTo(key));
    }

    [Test]
    public void Key_file_readable_by_others_is_refused_in_one_line_without_the_key()
    {
        var key = SessionKeys.CreateFile(_path);
        File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var ex = Assert.Throws<UserFacingException>(() => SessionKeys.Load(_path))!;

        Assert.That(ex.Message, Does.Contain("--key-file").And.Contain("chmod 600").And.Not.Contain("\n"));
        Assert.That(ex.Message, Does.Not.Contain(Convert.ToHexString(key)));
    }
}
