using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Aqs.Shared.Cli;
using Aqs.Shared.Timing;
using NetMQ;
using NetMQ.Sockets;

namespace Aqs.Shared.Contracts;

/// <summary>
/// One process's connection to its session's control plane (ARCHITECTURE.md section 5): a NetMQ PUB
/// bound on loopback at the role's port, and one SUB connected to the PUBs of every other role.
/// The SUB takes only the topics (contract types) this process asked for with <see cref="Subscribe{T}"/>,
/// <see cref="Listen{T}"/> or <see cref="ListenToAll"/>: NetMQ filters at the publisher, so a kernel never
/// decodes the stats and feedback meant for others.
/// NetMQ connects and reconnects in the background, so processes may start, stop and restart in any
/// order; messages sent while nobody is connected are lost, as PUB/SUB intends (repeat state, don't
/// rely on one-shot delivery: a new subscriber misses what was sent before it joined).
/// <para>
/// Threading: <see cref="Publish{T}"/> may be called from any thread. Receiving
/// (<see cref="TryReceive"/>, <see cref="Poll"/>) is serialised internally and runs handlers on the
/// calling thread; there is no background poller. After <see cref="Dispose"/>, publishing is a no-op
/// and receiving returns nothing.
/// </para>
/// </summary>
public sealed partial class ControlPlane : IDisposable
{
    // Lets a Stop sent just before shutdown still leave the process.
    private static readonly TimeSpan PublisherLinger = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan BindRetryStep = TimeSpan.FromMilliseconds(25);

    private readonly PublisherSocket _publisher;
    private readonly SubscriberSocket _subscriber;
    private readonly object _sendLock = new();
    private readonly object _receiveLock = new();
    private readonly ArrayBufferWriter<byte> _sendBuffer = new(256);
    private readonly DropLog _dropLog;
    private readonly long _startedNs = MonotonicClock.NowNs;
    private volatile bool _disposed;

    public string Session { get; }
    public KernelRole Role { get; }
    public ControlPlaneOptions Options { get; }
    public ControlPlaneCounters Counters { get; } = new();

    /// <summary>The port this process publishes on.</summary>
    public int PublishPort => Options.PortOf(Role);

    private ControlPlane(string session, KernelRole role, ControlPlaneOptions options, PublisherSocket publisher, SubscriberSocket subscriber)
    {
        Session = session;
        Role = role;
        Options = options;
        _publisher = publisher;
        _subscriber = subscriber;
        _dropLog = new DropLog(options.DiagnosticLog ?? Console.Error, $"aqs control plane [{session}/{role}]");
    }

    /// <summary>
    /// Joins <paramref name="session"/> as <paramref name="role"/>. Without <paramref name="options"/> the
    /// ports come from <see cref="ControlPlaneOptions.ForSession"/>.
    /// </summary>
    /// <exception cref="UserFacingException">The role's port is held by another process, or cannot be bound.</exception>
    public static ControlPlane Start(string session, KernelRole role, ControlPlaneOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!Enum.IsDefined(role))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "not a kernel role");
        }
        options ??= ControlPlaneOptions.ForSession(session);
        if (options.MaxMessageBytes <= 0)
        {
            throw new UserFacingException($"control plane max message size must be positive: {options.MaxMessageBytes}");
        }

        var keys = options.EffectiveSecurity.Keys;
        var publisher = new PublisherSocket();
        SubscriberSocket? subscriber = null;
        try
        {
            publisher.Options.Linger = PublisherLinger;
            // A publisher reads its subscribers' subscription frames: cap them too, or a stranger that connects and
            // announces a frame of gigabytes makes NetMQ allocate it.
            publisher.Options.MaxMsgSize = options.MaxMessageBytes;
            keys?.Serve(publisher);
            Bind(publisher, options, role);

            subscriber = new SubscriberSocket();
            subscriber.Options.Linger = TimeSpan.Zero;
            subscriber.Options.MaxMsgSize = options.MaxMessageBytes;
            keys?.Join(subscriber);
            foreach (var other in Enum.GetValues<KernelRole>())
            {
                if (other != role)
                {
                    subscriber.Connect(options.EndpointOf(other));
                }
            }
            return new ControlPlane(session, role, options, publisher, subscriber);
        }
        catch
        {
            subscriber?.Dispose();
            publisher.Dispose();
            throw;
        }
    }

    private static void Bind(PublisherSocket publisher, ControlPlaneOptions options, KernelRole role)
    {
        var port = options.PortOf(role);
        var deadline = Stopwatch.GetTimestamp() + (long)(options.BindRetry.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            try
            {
                publisher.Bind(options.BindEndpointOf(role));
                return;
            }
            catch (AddressAlreadyInUseException) when (Stopwatch.GetTimestamp() < deadline)
            {
                Thread.Sleep(BindRetryStep);
            }
            catch (AddressAlreadyInUseException ex)
            {
                throw new UserFacingException(
                    $"control port {port} ({options.EffectiveSecurity.BindAddress}, role {role}) is already in use by another process; " +
                    $"pick another base port with --control-port (this session uses {options.BasePort}..{options.BasePort + ControlPlaneOptions.PortsPerSession - 1})",
                    inner: ex);
            }
            catch (NetMQException ex)
            {
                throw new UserFacingException(
                    $"cannot bind control port {port} ({options.EffectiveSecurity.BindAddress}, role {role}): {ex.Message}; pick another base port with --control-port",
                    inner: ex);
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="message"/> to every connected subscriber. Never blocks and never fails
    /// because nobody listens: without subscribers (or with a full queue) the message is simply gone.
    /// </summary>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not a contract (a programming error).</exception>
    public void Publish<T>(T message) where T : class
    {
        ArgumentNullException.ThrowIfNull(message);
        var entry = ContractRegistry.Get(message.GetType());
        lock (_sendLock)
        {
            if (_disposed)
            {
                return;
            }
            _sendBuffer.ResetWrittenCount();
            ContractCodec.EncodeTo(_sendBuffer, message);
            // ArrayBufferWriter is array-backed from offset 0; NetMQ copies the bytes before TrySendFrame returns.
            MemoryMarshal.TryGetArray(_sendBuffer.WrittenMemory, out var payload);
            if (_publisher.TrySendFrame(TimeSpan.Zero, entry.Topic, more: true))
            {
                _publisher.TrySendFrame(TimeSpan.Zero, payload.Array!, payload.Count, more: false);
                Counters.CountSent();
            }
        }
    }

    /// <summary>Publishes a <see cref="Heartbeat"/> for this process with the given state.</summary>
    public void PublishHeartbeat(string state) =>
        Publish(new Heartbeat
        {
            Role = Role,
            Pid = Environment.ProcessId,
            UptimeMs = (MonotonicClock.NowNs - _startedNs) / 1_000_000,
            State = state,
            TimestampNs = MonotonicClock.NowNs,
        });

    public void Dispose()
    {
        lock (_sendLock)
        {
            lock (_receiveLock)
            {
                if (_disposed)
                {
                    return;
                }
                _disposed = true;
                _subscriber.Dispose();
                _publisher.Dispose();
            }
        }
    }
}
