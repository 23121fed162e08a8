using Aqs.Shared.Contracts;

namespace Aqs.Shared.Tests.Contracts.Infrastructure;

/// <summary>
/// PUB/SUB drops whatever is sent before a subscription reaches the publisher (the "slow joiner"),
/// so tests repeat a message until it arrives, bounded by a timeout, the way kernels repeat state.
/// </summary>
internal static class Exchange
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Publishes <paramref name="message"/> from <paramref name="from"/> until <paramref name="to"/> receives an equal one; returns that copy.</summary>
    public static object PublishUntilReceived(ControlPlane from, ControlPlane to, object message) =>
        RepeatUntilReceived(() => from.Publish(message), to, message);

    /// <summary>Runs <paramref name="send"/> until <paramref name="to"/> receives a message equal to <paramref name="expected"/>.</summary>
    public static object RepeatUntilReceived(Action send, ControlPlane to, object expected)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            send();
            // Drain what is there: earlier repeats or other messages may be queued ahead of this one.
            while (to.TryReceive(out var received, TimeSpan.FromMilliseconds(20)))
            {
                if (Equals(received, expected))
                {
                    return received!;
                }
            }
        }
        throw new AssertionException($"{expected.GetType().Name} did not arrive within {Patience.TotalSeconds} s ({to.Counters})");
    }

    /// <summary>Waits (receiving and discarding) until <paramref name="condition"/> holds.</summary>
    public static void ReceiveUntil(ControlPlane plane, Func<bool> condition, string what, Action? meanwhile = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new AssertionException($"{what} did not happen within {Patience.TotalSeconds} s ({plane.Counters})");
            }
            meanwhile?.Invoke();
            plane.TryReceive(out _, TimeSpan.FromMilliseconds(20));
        }
    }
}
