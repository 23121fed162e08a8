using Aqs.Shared.Cli;
using Aqs.Shared.Media;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Network.Egress;

/// <summary>
/// One standard-protocol egress on a thread of its own, fed through a bounded queue so that a slow or absent
/// receiver costs only its own frames. A stream to a standard receiver must start at a keyframe: the worker
/// connects on the first keyframe it is given, drops (and counts) frames until one comes after a connect or a
/// queue overflow, and asks the encoder for one then. A lost connection is closed, counted and opened again at the
/// next keyframe. Each kind supplies <see cref="Connect"/>, <see cref="Send"/> and <see cref="Disconnect"/>.
/// </summary>
public abstract class EgressWorker : IDisposable
{
    private const int QueueFrames = 32;
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);
    private static readonly long KeyframeRequestSpacingNs = 500_000_000;
    private static readonly long StaleConnectNs = 200_000_000;

    private readonly Queue<EgressFrame> _queue = new();
    private readonly object _lock = new();
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<string> _log;
    private bool _completing;
    private bool _connected;
    private bool _needKeyframe = true;
    private long _lastKeyframeRequestNs = long.MinValue / 2;
    private int _keyframeWanted;
    private string? _lastError;
    private bool _staleAfterConnect;
    private bool _disposed;

    protected EgressWorker(EgressTarget target, Action<string> log)
    {
        Target = target;
        _log = log;
        Interrupt = new IoInterrupt(_stop.Token);
        _thread = new Thread(Run) { IsBackground = true, Name = $"aqs-egress-{target.Kind}" };
    }

    public EgressTarget Target { get; }

    /// <summary>Ends this egress's blocking network calls at <see cref="Dispose"/>.</summary>
    protected IoInterrupt Interrupt { get; }

    public long FramesOffered { get; private set; }
    public long FramesSent => Volatile.Read(ref _framesSent);
    public long BytesSent => Volatile.Read(ref _bytesSent);
    /// <summary>Frames that never left: queue full, no connection, or waiting for the keyframe a receiver can start at.</summary>
    public long FramesDropped => Volatile.Read(ref _framesDropped);
    public long Connects => Volatile.Read(ref _connects);
    public long ConnectionsLost => Volatile.Read(ref _connectionsLost);
    public long ConnectFailures => Volatile.Read(ref _connectFailures);
    public string? LastError => Volatile.Read(ref _lastError);

    private long _framesSent;
    private long _bytesSent;
    private long _framesDropped;
    private long _connects;
    private long _connectionsLost;
    private long _connectFailures;

    public void Start() => _thread.Start();

    /// <summary>Queues a frame (the caller's copy is handed over); a full queue drops it and waits for a keyframe.</summary>
    public void Offer(EgressFrame frame)
    {
        FramesOffered++;
        lock (_lock)
        {
            if (!_completing && _queue.Count < QueueFrames)
            {
                _queue.Enqueue(frame);
                Monitor.Pulse(_lock);
                return;
            }
            _needKeyframe = true;
        }
        frame.Return();
        Interlocked.Increment(ref _framesDropped);
    }

    /// <summary>True once after this egress asked for a keyframe (a connect or a gap needs one).</summary>
    public bool TakeKeyframeRequest() => Interlocked.Exchange(ref _keyframeWanted, 0) != 0;

    /// <summary>Opens the connection for a stream whose first frame is <paramref name="first"/> (a keyframe). Throws <see cref="UserFacingException"/> with one line when it cannot.</summary>
    protected abstract void Connect(in EgressFrame first);

    /// <summary>Sends one frame; throws when the connection is gone.</summary>
    protected abstract void Send(in EgressFrame frame);

    /// <summary>Ends the stream politely where the protocol has a way (trailer, BYE) and closes.</summary>
    protected abstract void Disconnect();

    private void Run()
    {
        while (TryTake(out var frame))
        {
            try
            {
                Handle(frame);
            }
            finally
            {
                frame.Return();
            }
        }
        if (_connected)
        {
            _connected = false;
            CloseQuietly();
        }
    }

    private void Handle(in EgressFrame frame)
    {
        lock (_lock)
        {
            if (frame.Keyframe)
            {
                _needKeyframe = false;
            }
            else if (_needKeyframe)
            {
                Drop();
                return;
            }
        }
        if (!_connected && !TryConnect(frame))
        {
            Drop();
            return;
        }
        if (_connected && _staleAfterConnect)
        {
            // The connect waited (a listener for its caller): what is queued is old and the receiver needs a fresh keyframe.
            _staleAfterConnect = false;
            DropQueued();
            Drop();
            return;
        }
        try
        {
            Send(frame);
            Interlocked.Increment(ref _framesSent);
            Interlocked.Add(ref _bytesSent, frame.Length);
        }
        catch (Exception e) when (e is IOException or AvException or UserFacingException or System.Net.Sockets.SocketException)
        {
            Interlocked.Increment(ref _connectionsLost);
            Interlocked.Increment(ref _framesDropped);
            _connected = false;
            Report($"connection lost ({OneLine(e.Message)}); connecting again at the next keyframe");
            CloseQuietly();
            lock (_lock)
            {
                _needKeyframe = true;
            }
        }
    }

    private bool TryConnect(in EgressFrame first)
    {
        try
        {
            var started = MonotonicClock.NowNs;
            Connect(first);
            _connected = true;
            _staleAfterConnect = MonotonicClock.NowNs - started > StaleConnectNs;
            Interlocked.Increment(ref _connects);
            Report(null);
            _log($"egress {Target.Name}: streaming {first.Codec} {first.Width}x{first.Height}");
            return true;
        }
        catch (Exception e) when (e is UserFacingException or AvException or IOException or System.Net.Sockets.SocketException)
        {
            Interlocked.Increment(ref _connectFailures);
            Report(OneLine(e.Message));
            CloseQuietly();
            _stop.Token.WaitHandle.WaitOne(RetryPause);
            lock (_lock)
            {
                _needKeyframe = true;
            }
            return false;
        }
    }

    private void DropQueued()
    {
        lock (_lock)
        {
            while (_queue.Count > 0)
            {
                _queue.Dequeue().Return();
                Interlocked.Increment(ref _framesDropped);
            }
            _needKeyframe = true;
        }
    }

    private void Drop()
    {
        Interlocked.Increment(ref _framesDropped);
        var now = MonotonicClock.NowNs;
        if (now - _lastKeyframeRequestNs >= KeyframeRequestSpacingNs && !_stop.IsCancellationRequested)
        {
            _lastKeyframeRequestNs = now;
            Volatile.Write(ref _keyframeWanted, 1);
        }
    }

    /// <summary>Logs an error once, not again while it repeats (a receiver that stays away must not flood the log).</summary>
    private void Report(string? error)
    {
        if (error is not null && error != _lastError)
        {
            _log($"egress {Target.Name}: {error}");
        }
        Volatile.Write(ref _lastError, error ?? _lastError);
    }

    private void CloseQuietly()
    {
        try
        {
            Disconnect();
        }
        catch (Exception e) when (e is IOException or AvException or System.Net.Sockets.SocketException)
        {
            // Already gone: nothing more to say to the receiver.
        }
    }

    private bool TryTake(out EgressFrame frame)
    {
        lock (_lock)
        {
            while (_queue.Count == 0)
            {
                if (_completing || _stop.IsCancellationRequested)
                {
                    frame = default;
                    return false;
                }
                Monitor.Wait(_lock, 100);
            }
            frame = _queue.Dequeue();
            return true;
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>Sends what is queued (up to <paramref name="drain"/>), ends the stream and stops the thread.</summary>
    public void Complete(TimeSpan drain)
    {
        lock (_lock)
        {
            _completing = true;
            Monitor.PulseAll(_lock);
        }
        if (_thread.IsAlive && !_thread.Join(drain))
        {
            _stop.Cancel(); // a connect or write blocked on the network gives up now
            _thread.Join(TimeSpan.FromSeconds(2));
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Complete(TimeSpan.FromSeconds(2));
        _stop.Cancel();
        DropQueued();
        DisposeResources();
        if (!_thread.IsAlive)
        {
            Interrupt.Dispose();
        }
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees what the kind holds beyond the connection (sockets, threads).</summary>
    protected virtual void DisposeResources()
    {
    }
}
