using Aqs.Shared.Cli;
using Aqs.Shared.Security;

namespace Aqs.Shared.Tests.Security;

/// <summary>Files carrying frames or secrets are trusted only when they are the user's own and 0600.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class OwnerOnlyFileTests
{
    private string _path = "";

    [SetUp]
    public void NewPath() => _path = Path.Combine(Path.GetTempPath(), "aqs-owner-" + Guid.NewGuid().ToString("N")[..8]);

    [TearDown]
    public void Remove() => File.Delete(_path);

    [Test]
    public void Written_file_is_0600_from_the_start_and_passes_the_check()
    {
        OwnerOnlyFile.Write(_path, "secret");

        Assert.That(File.GetUnixFileMode(_path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.DoesNotThrow(() => OwnerOnlyFile.Check(_path, "--key-file"));
    }

    [Test]
    public void Write_refuses_to_reuse_an_existing_file()
    {
        File.WriteAllText(_path, "planted");

        Assert.Throws<IOException>(() => OwnerOnlyFile.Write(_path, "secret"));
        Assert.That(File.ReadAllText(_path), Is.EqualTo("planted"));
    }

    [TestCase(UnixFileMode.GroupRead)]
    [TestCase(UnixFileMode.OtherRead)]
    [TestCase(UnixFileMode.OtherWrite)]
    public void File_open_to_other_users_is_refused_in_one_line_naming_mode_and_path(UnixFileMode extra)
    {
        OwnerOnlyFile.Write(_path, "secret");
        File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);

        var ex = Assert.Throws<UserFacingException>(() => OwnerOnlyFile.Check(_path, "--key-file"))!;

        Assert.That(ex.Message, Does.Contain(_path).And.Contain("chmod 600").And.Not.Contain("\n"));
        Assert.That(ex.Message, Does.Not.Contain("secret"));
    }

    [Test]
    public void File_of_another_user_is_refused_in_one_line_naming_its_owner()
    {
        OwnerOnlyFile.Write(_path, "secret");
        OtherUser.Give(_path);

        var ex = Assert.Throws<UserFacingException>(() => OwnerOnlyFile.Check(_path, "--control-keys:", CommandLineHost.ExitUsage))!;

        Assert.Multiple(() =>
        {
            Assert.That(ex.ExitCode, Is.EqualTo(CommandLineHost.ExitUsage));
            Assert.That(ex.Message, Does.Contain($"uid {OtherUser.Uid}").And.Contain("not to this user").And.Not.Contain("\n"));
        });
    }
}

/// <summary>Hands a file to another user (nobody, uid 65534): needs root, as the CI container runs; skipped elsewhere.</summary>
internal static class OtherUser
{
    public const int Uid = 65534;

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static void Give(string path)
    {
        if (OwnerOnlyFile.CurrentUid != 0)
        {
            Assert.Ignore("giving a file to another user needs root (chown)");
        }
        if (Chown(path, Uid, Uid) != 0)
        {
            Assert.Fail($"chown {path} to {Uid} failed (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
        }
    }

    [System.Runtime.InteropServices.DllImport("libc.so.6", EntryPoint = "chown", SetLastError = true)]
    private static extern int Chown([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, int owner, int group);
}
