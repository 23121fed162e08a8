using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Aqs.Shared.Timing;

namespace Aqs.Kernel.Network.Transport;

/// <summary>
/// Holds each datagram the impairment emulator let through until its delivery time, then sends it
/// on the real socket. A thread of its own sleeps until the earliest one is due, so delay, jitter
/// and the trace's queueing happen in real time on real UDP.
/// </summary>
public sealed class DelayLine : IDisposable
{
    private readonly Socket _socket;
    private readonly SocketAddress _peer;
    private readonly PriorityQueue<(byte[] Buffer, int Length), long> _pending = new();
    private readonly object _lock = new();
    private readonly Thread _thread;
    private readonly AutoResetEvent _wake = new(false);
    private volatile bool _stopping;

    public DelayLine(Socket socket, SocketAddress peer)
    {
        _socket = socket;
        _peer = peer;
        _thread = new Thread(Run) { IsBackground = true, Name = "aqs-delay-line" };
        _thread.Start();
    }

    public long Sent { get; private set; }

    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    public void Enqueue(ReadOnlySpan<byte> datagram, long deliverAtUs)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(datagram.Length);
        datagram.CopyTo(buffer);
        lock (_lock)
        {
            _pending.Enqueue((buffer, datagram.Length), deliverAtUs);
        }
        _wake.Set();
    }

    /// <summary>Waits until everything queued has been sent, or <paramref name="timeout"/>.</summary>
    public void Drain(TimeSpan timeout)
    {
        var deadline = MonotonicClock.NowNs + (long)timeout.TotalNanoseconds;
        while (Pending > 0 && MonotonicClock.NowNs < deadline)
        {
            Thread.Sleep(2);
        }
    }

    private void Run()
    {
        while (!_stopping)
        {
            (byte[] Buffer, int Length) next;
            long dueUs;
            lock (_lock)
            {
                if (!_pending.TryPeek(out next, out dueUs))
                {
                    dueUs = long.MaxValue;
                }
            }
            var nowUs = MonotonicClock.NowNs / 1000;
            if (dueUs == long.MaxValue)
            {
                _wake.WaitOne(50);
                continue;
            }
            if (dueUs > nowUs)
            {
                // Sleep for the bulk, spin the last stretch: a millisecond of timer slack is a lot of jitter.
                var waitUs = dueUs - nowUs;
                if (waitUs > 1500)
                {
                    _wake.WaitOne(TimeSpan.FromMicroseconds(waitUs - 1000));
                }
                else
                {
                    Thread.SpinWait(100);
                }
                continue;
            }
            lock (_lock)
            {
                _pending.Dequeue();
            }
            try
            {
                _socket.SendTo(next.Buffer.AsSpan(0, next.Length), SocketFlags.None, _peer);
                Sent++;
            }
            catch (SocketException)
            {
                // The receiver is gone (ICMP unreachable on loopback): the datagram is lost, as on a real link.
            }
            ArrayPool<byte>.Shared.Return(next.Buffer);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Set();
        _thread.Join(TimeSpan.FromSeconds(2));
        _wake.Dispose();
    }
}
