using System.Diagnostics;

namespace Aqs.Kernel.Network.Tests.Transport;

/// <summary>
/// Two network namespaces joined by a veth pair, addresses PREFIX.1 (sender) and PREFIX.2 (receiver), links up.
/// Dispose deletes both namespaces, which destroys the pair. Needs root (or CAP_NET_ADMIN) and <c>ip</c>.
/// </summary>
internal sealed class NamespaceLink : IDisposable
{
    private readonly List<string> _namespaces = [];

    private NamespaceLink(string prefix)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        SenderNs = "aqsS" + suffix;
        ReceiverNs = "aqsR" + suffix;
        SenderDev = "vsa" + suffix;
        ReceiverDev = "vsb" + suffix;
        SenderAddress = prefix + ".1";
        ReceiverAddress = prefix + ".2";
    }

    public string SenderNs { get; }
    public string ReceiverNs { get; }
    public string SenderDev { get; }
    public string ReceiverDev { get; }
    public string SenderAddress { get; }
    public string ReceiverAddress { get; }

    /// <summary>The link, or null and why it cannot be made here (no iproute2, no permission).</summary>
    public static (NamespaceLink? Link, string Why) TryCreate(string prefix)
    {
        var link = new NamespaceLink(prefix);
        var (code, output) = Tool("ip", "netns", "add", link.SenderNs);
        if (code != 0)
        {
            return (null, $"ip netns add is not possible here: {output.Trim()}");
        }
        link._namespaces.Add(link.SenderNs);
        try
        {
            link.Must("ip", "netns", "add", link.ReceiverNs);
            link._namespaces.Add(link.ReceiverNs);
            link.Must("ip", "link", "add", link.SenderDev, "type", "veth", "peer", "name", link.ReceiverDev);
            link.Must("ip", "link", "set", link.SenderDev, "netns", link.SenderNs);
            link.Must("ip", "link", "set", link.ReceiverDev, "netns", link.ReceiverNs);
            link.Must("ip", "-n", link.SenderNs, "addr", "add", link.SenderAddress + "/24", "dev", link.SenderDev);
            link.Must("ip", "-n", link.ReceiverNs, "addr", "add", link.ReceiverAddress + "/24", "dev", link.ReceiverDev);
            foreach (var (ns, dev) in new[] { (link.SenderNs, link.SenderDev), (link.ReceiverNs, link.ReceiverDev) })
            {
                link.Must("ip", "-n", ns, "link", "set", dev, "up");
                link.Must("ip", "-n", ns, "link", "set", "lo", "up");
            }
            return (link, "");
        }
        catch
        {
            link.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var ns in _namespaces)
        {
            Tool("ip", "netns", "del", ns);
        }
        _namespaces.Clear();
    }

    private void Must(params string[] args)
    {
        var (code, output) = Tool(args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', args)}: {output.Trim()}");
        }
    }

    private static (int Code, string Output) Tool(params string[] args)
    {
        var info = new ProcessStartInfo(args[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args[1..])
        {
            info.ArgumentList.Add(a);
        }
        try
        {
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, output.Result + error.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"{args[0]} not found ({e.Message})");
        }
    }
}
