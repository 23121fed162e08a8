using System.Diagnostics;
using System.Text;
using NetMQ;

namespace Aqs.Shared.Contracts;

public sealed partial class ControlPlane
{
    private enum ReceiveOutcome
    {
        Nothing,
        Delivered,
        Dropped,
    }

    private Dictionary<Type, Action<object>[]> _handlers = new();
    private readonly HashSet<ContractTypeTag> _topics = [];

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the next well-formed contract from any other role.
    /// Bad input on the way (malformed, unknown version or type) is dropped, counted in
    /// <see cref="Counters"/>, logged once per kind, and the wait goes on; it is never thrown.
    /// <see cref="TimeSpan.Zero"/> polls; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever.
    /// </summary>
    public bool TryReceive(out object? message, TimeSpan timeout)
    {
        if (timeout < TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "must be zero or more, or infinite");
        }
        var deadline = timeout == Timeout.InfiniteTimeSpan
            ? long.MaxValue
            : Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        lock (_receiveLock)
        {
            while (!_disposed)
            {
                var remaining = deadline == long.MaxValue
                    ? Timeout.InfiniteTimeSpan
                    : TimeSpan.FromSeconds(Math.Max(0, deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
                switch (ReceiveOne(remaining, out message))
                {
                    case ReceiveOutcome.Delivered:
                        return true;
                    case ReceiveOutcome.Nothing:
                        return false;
                }
            }
        }
        message = null;
        return false;
    }

    /// <summary>
    /// Registers <paramref name="handler"/> for every <typeparamref name="T"/> that <see cref="Poll"/>
    /// receives, and subscribes to its topic. Handlers run on the thread that calls <see cref="Poll"/>, in
    /// registration order; an exception from one propagates out of <see cref="Poll"/>. <see cref="TryReceive"/>
    /// does not run them.
    /// </summary>
    public void Subscribe<T>(Action<T> handler) where T : class
    {
        ArgumentNullException.ThrowIfNull(handler);
        lock (_receiveLock)
        {
            Listen<T>();
            var handlers = new Dictionary<Type, Action<object>[]>(_handlers);
            handlers.TryGetValue(typeof(T), out var existing);
            handlers[typeof(T)] = [.. existing ?? [], m => handler((T)m)];
            Volatile.Write(ref _handlers, handlers);
        }
    }

    /// <summary>Subscribes to <typeparamref name="T"/>'s topic without a handler, for callers of <see cref="TryReceive"/>.</summary>
    public void Listen<T>() where T : class
    {
        var entry = ContractRegistry.Get(typeof(T));
        lock (_receiveLock)
        {
            if (!_disposed && _topics.Add(entry.Tag))
            {
                _subscriber.Subscribe(entry.Topic);
            }
        }
    }

    /// <summary>Subscribes to every topic, known or not (recorders, diagnostics and tests of bad input).</summary>
    public void ListenToAll()
    {
        lock (_receiveLock)
        {
            if (!_disposed)
            {
                _subscriber.SubscribeToAnyTopic();
            }
        }
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for a first message, then takes whatever else is already
    /// queued (at most <paramref name="maxMessages"/> in all, so a flood cannot starve the caller) and
    /// hands each to the handlers of its type. Returns how many messages were delivered.
    /// </summary>
    public int Poll(TimeSpan timeout, int maxMessages = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessages);
        var delivered = 0;
        var wait = timeout;
        while (delivered < maxMessages && TryReceive(out var message, wait))
        {
            delivered++;
            wait = TimeSpan.Zero;
            if (Volatile.Read(ref _handlers).TryGetValue(message!.GetType(), out var handlers))
            {
                foreach (var handler in handlers)
                {
                    handler(message);
                }
            }
        }
        return delivered;
    }

    private ReceiveOutcome ReceiveOne(TimeSpan timeout, out object? message)
    {
        message = null;
        var topic = new Msg();
        topic.InitEmpty();
        var payload = new Msg();
        payload.InitEmpty();
        try
        {
            if (!_subscriber.TryReceive(ref topic, NetMqTimeout.From(timeout)))
            {
                return ReceiveOutcome.Nothing;
            }
            // Multipart messages arrive whole, so the payload frame is already here when the topic is.
            if (!topic.HasMore || !_subscriber.TryReceive(ref payload, TimeSpan.Zero))
            {
                return Drop(DropReason.Malformed, $"topic '{Printable(topic)}' came without a payload frame");
            }
            if (payload.HasMore)
            {
                _subscriber.SkipMultipartMessage();
                return Drop(DropReason.Malformed, $"topic '{Printable(topic)}' came with more than one payload frame");
            }
            if (!ContractCodec.TryDecode(payload.SliceAsMemory(), out message, out var reason, out var header))
            {
                return Drop(reason, $"topic '{Printable(topic)}', {payload.Size} bytes, {Describe(header)}");
            }
            if (!topic.Slice().SequenceEqual(ContractRegistry.Get(message!.GetType()).Topic))
            {
                message = null;
                return Drop(DropReason.Malformed, $"topic '{Printable(topic)}' does not name the type tag {header.TypeTag} it carries");
            }
            Counters.CountReceived();
            return ReceiveOutcome.Delivered;
        }
        finally
        {
            topic.Close();
            payload.Close();
        }
    }

    private ReceiveOutcome Drop(DropReason reason, string detail)
    {
        Counters.CountDrop(reason);
        _dropLog.Report(reason, detail);
        return ReceiveOutcome.Dropped;
    }

    private static string Describe(EnvelopeHeader header) =>
        header.IsKnown ? $"schema version {header.SchemaVersion}, type tag {header.TypeTag}" : "no readable envelope";

    private static string Printable(Msg frame)
    {
        const int limit = 40;
        var bytes = frame.Slice();
        var text = new StringBuilder(Math.Min(bytes.Length, limit));
        foreach (var b in bytes[..Math.Min(bytes.Length, limit)])
        {
            text.Append(b is >= 0x20 and < 0x7f ? (char)b : '?');
        }
        return bytes.Length > limit ? text.Append("...").ToString() : text.ToString();
    }
}
