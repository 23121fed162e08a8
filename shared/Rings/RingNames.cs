namespace Aqs.Shared.Rings;

/// <summary>
/// Where a ring of a session lives: <c>/dev/shm/aqs.&lt;session&gt;.&lt;ring&gt;</c>, with its
/// semaphores beside it as <c>/dev/shm/sem.aqs.&lt;session&gt;.&lt;ring&gt;.c&lt;i&gt;</c> and <c>.p</c>.
/// Names allow [A-Za-z0-9_-] only, so the dots split them unambiguously and sessions never overlap.
/// </summary>
public static class RingNames
{
    public const string Directory = "/dev/shm";
    public const int MaxNameLength = 64;

    public static string PathFor(string session, string ring)
    {
        ValidateSession(session);
        ValidateRing(ring);
        return System.IO.Path.Combine(Directory, FileName(session, ring));
    }

    /// <summary><c>aqs.S.R</c>, as messages name a ring.</summary>
    public static string FileName(string session, string ring) => $"aqs.{session}.{ring}";

    public static void ValidateSession(string s) => Validate("session", s);

    public static void ValidateRing(string r) => Validate("ring", r);

    /// <summary>Every ring file and ring semaphore file of the session now in /dev/shm (full paths).</summary>
    public static IEnumerable<string> FilesOf(string session)
    {
        ValidateSession(session);
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }
        return System.IO.Directory.EnumerateFiles(Directory, $"aqs.{session}.*")
            .Concat(System.IO.Directory.EnumerateFiles(Directory, $"sem.aqs.{session}.*"))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Name of consumer slot <paramref name="index"/>'s wake-up semaphore (sem_open form, leading slash).</summary>
    internal static string ConsumerSemaphore(string session, string ring, int index) => $"/aqs.{session}.{ring}.c{index}";

    /// <summary>Name of the producer's "space available" semaphore.</summary>
    internal static string ProducerSemaphore(string session, string ring) => $"/aqs.{session}.{ring}.p";

    private static void Validate(string what, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new RingException($"{what} name is empty; use 1..{MaxNameLength} of [A-Za-z0-9_-]");
        }
        if (value.Length > MaxNameLength)
        {
            throw new RingException($"{what} name '{Printable(value[..16])}...' is {value.Length} characters; at most {MaxNameLength} allowed");
        }
        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-'))
            {
                throw new RingException($"{what} name '{Printable(value)}' has '{Printable(c.ToString())}'; only [A-Za-z0-9_-] allowed");
            }
        }
    }

    /// <summary>Keeps an error message on one line whatever the bad name holds.</summary>
    private static string Printable(string s) =>
        string.Concat(s.Select(c => c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:x4}"));
}
