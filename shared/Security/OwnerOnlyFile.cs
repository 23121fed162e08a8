using System.Runtime.InteropServices;
using Aqs.Shared.Cli;
using Aqs.Shared.Interop;
using Microsoft.Win32.SafeHandles;

namespace Aqs.Shared.Security;

/// <summary>
/// Files that carry a session's frames or secrets (rings in /dev/shm, datagram keys, CURVE keys) must belong to the
/// user running the process and be readable and writable by that user only (0600). Whoever else can write a ring can
/// feed the pipeline forged frames; whoever can read a key can forge the stream. Checked on the open descriptor, so a
/// name swapped between the check and the use changes nothing.
/// </summary>
public static class OwnerOnlyFile
{
    private const UnixFileMode OthersBits =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The owner's uid and the permission bits of the open file.</summary>
    public static (uint Uid, UnixFileMode Mode) Stat(SafeFileHandle handle)
    {
        if (Libc.statx(handle, "", Libc.AT_EMPTY_PATH, Libc.STATX_UID | Libc.STATX_MODE, out var st) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"statx failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }
        return (st.stx_uid, (UnixFileMode)(st.stx_mode & 0xfff));
    }

    /// <summary>This process's effective uid.</summary>
    public static uint CurrentUid => Libc.geteuid();

    /// <summary>
    /// Why the open file may not be trusted, in one line naming <paramref name="what"/>: it belongs to another user, or
    /// others may read or write it. Null when it is the user's own and 0600 (or tighter).
    /// </summary>
    public static string? Problem(SafeFileHandle handle, string path, string what)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }
        var (uid, mode) = Stat(handle);
        var me = CurrentUid;
        if (uid != me)
        {
            return $"{what} {path} belongs to uid {uid}, not to this user (uid {me}): refused (another user could have written it)";
        }
        if ((mode & OthersBits) != 0)
        {
            return $"{what} {path} has mode {Convert.ToString((int)mode, 8)}, open to other users: refused (chmod 600 it)";
        }
        return null;
    }

    /// <summary>Throws <see cref="Problem"/> as a one-line <see cref="UserFacingException"/> (exit <paramref name="exitCode"/>).</summary>
    public static void Check(SafeFileHandle handle, string path, string what, int exitCode = CommandLineHost.ExitFailure)
    {
        if (Problem(handle, path, what) is { } problem)
        {
            throw new UserFacingException(problem, exitCode);
        }
    }

    /// <summary><see cref="Check(SafeFileHandle,string,string,int)"/> on a path (opens it read-only for the check).</summary>
    public static void Check(string path, string what, int exitCode = CommandLineHost.ExitFailure)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Check(handle, path, what, exitCode);
    }

    /// <summary>Creates <paramref name="path"/> with mode 0600 from the first instant (O_CREAT|O_EXCL) and writes <paramref name="text"/>.</summary>
    public static void Write(string path, string text)
    {
        using var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }
}
