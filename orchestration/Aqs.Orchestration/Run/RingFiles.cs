using Aqs.Shared.Rings;

namespace Aqs.Orchestration.Run;

/// <summary>The shared-memory files of a session (rings and their semaphores), for the after-run check.</summary>
public static class RingFiles
{
    public static IReadOnlyList<string> Leftovers(string session) => RingNames.FilesOf(session).ToList();

    /// <summary>Removes what the kernels left of <paramref name="session"/>; <paramref name="removed"/> names it.</summary>
    public static void Remove(string session, out IReadOnlyList<string> removed)
    {
        var files = Leftovers(session);
        foreach (var file in files)
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        removed = files;
    }

    public static void Remove(string session) => Remove(session, out _);
}
