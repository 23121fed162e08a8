using Aqs.Shared.Rings;

namespace Aqs.Shared.Tests.Rings.Infrastructure;

/// <summary>Gives each test a fresh random session name and removes whatever it left in /dev/shm.</summary>
public abstract class RingTestBase
{
    protected string Session { get; private set; } = "";

    private readonly List<PeerProcess> _peers = [];

    [SetUp]
    public void NewSession()
    {
        Session = "t" + Guid.NewGuid().ToString("N")[..12];
    }

    [TearDown]
    public void RemoveLeftovers()
    {
        foreach (var p in _peers)
        {
            p.Dispose();
        }
        _peers.Clear();
        foreach (var file in RingNames.FilesOf(Session))
        {
            File.Delete(file);
        }
    }

    protected PeerProcess StartPeer(string role, params string[] args)
    {
        var peer = PeerProcess.Start(role, args);
        _peers.Add(peer);
        return peer;
    }

    protected static RingOptions Small(int slots = 8, int capacity = 4096, int staleMs = 2000) =>
        new(slots, capacity) { StaleAfter = TimeSpan.FromMilliseconds(staleMs) };
}
