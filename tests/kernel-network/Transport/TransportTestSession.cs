using Aqs.Kernel.Network.FecPolicy;

namespace Aqs.Kernel.Network.Tests.Transport;

/// <summary>A session name of its own per test, and its shared-memory rings removed afterwards.</summary>
public abstract class TransportTestSession
{
    protected string Session { get; private set; } = "";

    [SetUp]
    public void NewSession() => Session = "nt" + Guid.NewGuid().ToString("N")[..8];

    [TearDown]
    public void RemoveLeftovers()
    {
        foreach (var file in Directory.EnumerateFiles("/dev/shm", $"*aqs.{Session}.*"))
        {
            File.Delete(file);
        }
    }

    protected static byte[] MakeFrame(int index, int length)
    {
        var data = new byte[length];
        new Random(index).NextBytes(data);
        return data;
    }

    /// <summary>FEC off.</summary>
    protected sealed class NoParity : IFecPolicy
    {
        public int ParityFor(int dataShards, bool keyframe, LinkState state) => 0;
    }
}
