using System.Globalization;

namespace Aqs.TestPeers.Rings;

/// <summary><c>key=value</c> arguments of the ring peers, with defaults.</summary>
internal sealed class PeerArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public PeerArgs(string[] args)
    {
        foreach (var a in args)
        {
            var eq = a.IndexOf('=');
            if (eq <= 0)
            {
                throw new ArgumentException($"peer argument '{a}' is not key=value");
            }
            _values[a[..eq]] = a[(eq + 1)..];
        }
    }

    public string Text(string key, string? fallback = null) =>
        _values.TryGetValue(key, out var v) ? v : fallback ?? throw new ArgumentException($"peer argument {key}= is missing");

    public long Int(string key, long fallback) =>
        _values.TryGetValue(key, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
