using Aqs.Shared.Timing;

namespace Aqs.Kernel.Display.Measurement;

/// <summary>
/// A thread that does work handed over by the presenter without ever making it wait, within a share of one core
/// (<see cref="CoreShareBudget"/>): derived classes keep their own hand-over (a queue, a single newest slot) under
/// <see cref="Gate"/> and refuse offers when <see cref="HasCredit"/> is false; this class runs the loop, charges each
/// job's wall time to the share (not the first, which pays for warm-up), drains and stops.
/// </summary>
public abstract class BudgetedWorker<TJob> : IDisposable where TJob : class
{
    private readonly CoreShareBudget _budget;
    private readonly Thread _thread;
    private bool _stopping;
    private bool _busy;
    private bool _warm;

    protected BudgetedWorker(string name, double coreShare, ThreadPriority priority = ThreadPriority.BelowNormal)
    {
        _budget = new CoreShareBudget(coreShare);
        _thread = new Thread(Run) { IsBackground = true, Name = name, Priority = priority };
    }

    /// <summary>Guards the hand-over and the counters of derived classes.</summary>
    protected object Gate { get; } = new();

    public double CoreShare => _budget.Share;

    /// <summary>Starts the thread (at the end of the derived constructor, once its fields are set).</summary>
    protected void Start() => _thread.Start();

    /// <summary>True while the share has credit now; call under <see cref="Gate"/>.</summary>
    protected bool HasCredit() => _budget.HasCredit(MonotonicClock.NowNs);

    /// <summary>Wakes the thread after a hand-over; call under <see cref="Gate"/>.</summary>
    protected void Wake() => Monitor.Pulse(Gate);

    /// <summary>Takes the next job, if any; called under <see cref="Gate"/>.</summary>
    protected abstract bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TJob? job);

    /// <summary>True while jobs wait; read under <see cref="Gate"/>.</summary>
    protected abstract bool HasWork { get; }

    /// <summary>Does one job, outside the gate; must not throw.</summary>
    protected abstract void Process(TJob job);

    /// <summary>Lets go of a job never done (at the end); called under <see cref="Gate"/>.</summary>
    protected abstract void Discard(TJob job);

    /// <summary>Something to do while idle (every 100 ms at most); called under <see cref="Gate"/>.</summary>
    protected virtual void Idle()
    {
    }

    /// <summary>True once the worker gave up (it then takes nothing more).</summary>
    protected virtual bool Failed => false;

    /// <summary>Waits until every job handed over is done (the end of a stream, tests).</summary>
    public void Drain()
    {
        lock (Gate)
        {
            while ((HasWork || _busy) && !Failed)
            {
                Monitor.Wait(Gate, 50);
            }
        }
    }

    private void Run()
    {
        while (true)
        {
            TJob? job = null;
            lock (Gate)
            {
                while (!_stopping && !TryTake(out job))
                {
                    Idle();
                    Monitor.Wait(Gate, 100);
                }
                if (_stopping || job is null)
                {
                    return;
                }
                _busy = true;
            }
            var started = MonotonicClock.NowNs;
            Process(job);
            var done = MonotonicClock.NowNs;
            lock (Gate)
            {
                _budget.Spend(done, _warm ? done - started : 0);
                _warm = true;
                _busy = false;
                Monitor.PulseAll(Gate);
            }
        }
    }

    public virtual void Dispose()
    {
        lock (Gate)
        {
            _stopping = true;
            Monitor.PulseAll(Gate);
        }
        _thread.Join();
        lock (Gate)
        {
            while (TryTake(out var job))
            {
                Discard(job);
            }
        }
        GC.SuppressFinalize(this);
    }
}
