namespace Aqs.TestPeers;

/// <summary>Entry point of the helper processes tests start: the first argument names the role.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || !PeerRegistry.TryGet(args[0], out var role))
        {
            Console.Error.WriteLine($"Aqs.TestPeers: name a role: {string.Join(", ", PeerRegistry.Names)}");
            return 2;
        }
        return role(args[1..]);
    }
}
