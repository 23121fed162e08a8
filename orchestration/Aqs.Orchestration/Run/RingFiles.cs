namespace Aqs.Orchestration.Run;

/// <summary>The shared-memory files of a session (rings and their semaphores), for the after-run check.</summary>
public static class RingFiles
{
    public static IReadOnlyList<string> Leftovers(string session)
    {
        if (!Directory.Exists("/dev/shm"))
        {
            return [];
        }
        return Directory.EnumerateFiles("/dev/shm")
            .Where(f => IsOfSession(Path.GetFileName(f), session))
            .ToList();
    }

    public static void Remove(string session)
    {
        foreach (var file in Leftovers(session))
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
    }

    private static bool IsOfSession(string name, string session) =>
        name.StartsWith($"aqs.{session}.", StringComparison.Ordinal)
        || name.StartsWith($"sem.aqs.{session}.", StringComparison.Ordinal);
}
