using System.Reflection;

namespace Aqs.TestPeers;

/// <summary>Marks a static <c>int Method(string[] args)</c> as a peer role started by name.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PeerRoleAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

internal static class PeerRegistry
{
    private static readonly Dictionary<string, Func<string[], int>> Roles = Discover();

    public static IEnumerable<string> Names => Roles.Keys.Order();

    public static bool TryGet(string name, out Func<string[], int> role) => Roles.TryGetValue(name, out role!);

    private static Dictionary<string, Func<string[], int>> Discover()
    {
        var roles = new Dictionary<string, Func<string[], int>>(StringComparer.Ordinal);
        foreach (var type in typeof(PeerRegistry).Assembly.GetTypes())
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            {
                if (method.GetCustomAttribute<PeerRoleAttribute>() is { } attribute)
                {
                    roles.Add(attribute.Name, method.CreateDelegate<Func<string[], int>>());
                }
            }
        }
        return roles;
    }
}
