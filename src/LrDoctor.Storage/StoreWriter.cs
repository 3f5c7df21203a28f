using System.Threading.Channels;

namespace LrDoctor.Storage;

/// <summary>The batched writer: queues writes in a bounded channel and commits them in one transaction every flush interval or batch size.</summary>
/// <remarks>
/// The interval and the batch size are a floor for durability: a batch is committed as soon as it holds
/// <c>batchSize</c> writes and the queue is empty, or when the interval since its first write has passed.
/// When the queue is backed up (writes arrive faster than they are committed), a batch takes everything
/// already queued, up to <c>maxBatchSize</c>: fewer, larger transactions (each commit is an fsync) and whole
/// chunks written at once, so the backlog drains faster; no write waits longer than it would have anyway.
/// A full queue makes <see cref="WriteAsync"/> wait (back-pressure reaches the worker through its stdout pipe)
/// instead of growing memory. Disposing flushes everything queued. A failed flush is reported through
/// <see cref="FlushFailed"/> and retried with the next batch rather than losing the queue.
/// </remarks>
public sealed class StoreWriter : IAsyncDisposable
{
    private readonly IRunStore _store;
    private readonly Channel<Entry> _channel;
    private readonly TimeSpan _flushInterval;
    private readonly int _batchSize;
    private readonly int _maxBatchSize;
    private readonly TimeProvider _time;
    private readonly Task _loop;
    private long _queued;
    private long _written;

    /// <summary>Starts a writer over <paramref name="store"/>.</summary>
    /// <param name="store">Where batches are written.</param>
    /// <param name="flushInterval">The longest a write waits in the queue before its batch is committed.</param>
    /// <param name="batchSize">The most writes in one batch.</param>
    /// <param name="capacity">The most writes queued; beyond that <see cref="WriteAsync"/> waits.</param>
    /// <param name="maxBatchSize">The most writes in one batch when the queue is backed up; 0 for <paramref name="capacity"/>.</param>
    /// <param name="timeProvider">The clock of the flush interval; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public StoreWriter(IRunStore store, TimeSpan flushInterval, int batchSize = 1000, int capacity = 65_536, int maxBatchSize = 0, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 0);
        _store = store;
        _time = timeProvider ?? TimeProvider.System;
        _flushInterval = flushInterval;
        _batchSize = batchSize;
        _maxBatchSize = Math.Max(batchSize, maxBatchSize == 0 ? capacity : maxBatchSize);
        _channel = Channel.CreateBounded<Entry>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Factory.StartNew(RunLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Raised on the writer's thread with the number of step records committed by each flush.</summary>
    public event Action<int>? Flushed;

    /// <summary>Raised on the writer's thread when a flush fails (the batch is retried).</summary>
    public event Action<Exception>? FlushFailed;

    /// <summary>Gets the number of writes queued and not yet committed.</summary>
    public long QueueDepth => Interlocked.Read(ref _queued) - Interlocked.Read(ref _written);

    /// <summary>Gets the number of writes committed since the writer started.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Queues a write; waits while the queue is full.</summary>
    /// <param name="write">The write.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes once the write is queued.</returns>
    public ValueTask WriteAsync(StoreWrite write, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _queued);
        if (_channel.Writer.TryWrite(new Entry(write, null)))
        {
            return ValueTask.CompletedTask;
        }

        return WriteSlowAsync(write, cancellationToken);
    }

    /// <summary>Returns once everything queued before the call is committed.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes after the flush.</returns>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _channel.Writer.WriteAsync(new Entry(default, done), cancellationToken).ConfigureAwait(false);
        await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops accepting writes, commits everything queued and stops the loop.</summary>
    /// <returns>A task that completes when the queue is empty.</returns>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async ValueTask WriteSlowAsync(StoreWrite write, CancellationToken cancellationToken)
    {
        try
        {
            await _channel.Writer.WriteAsync(new Entry(write, null), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Interlocked.Decrement(ref _queued);
            throw;
        }
    }

    private async Task RunLoopAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<StoreWrite>(_batchSize);
        var waiters = new List<TaskCompletionSource>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            long deadline = _time.GetTimestamp() + (long)(_flushInterval.TotalSeconds * _time.TimestampFrequency);
            while (batch.Count < _maxBatchSize)
            {
                if (reader.TryRead(out var entry))
                {
                    if (entry.Flushed is not null)
                    {
                        waiters.Add(entry.Flushed);
                        break;
                    }

                    batch.Add(entry.Write);
                    continue;
                }

                if (batch.Count >= _batchSize)
                {
                    break;
                }

                var left = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
                if (left <= TimeSpan.Zero || reader.Completion.IsCompleted)
                {
                    break;
                }

                using var timeout = new CancellationTokenSource(left, _time);
                try
                {
                    if (!await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            Flush(batch);
            foreach (var waiter in waiters)
            {
                waiter.TrySetResult();
            }

            waiters.Clear();
        }

        Flush(batch);
    }

    private void Flush(List<StoreWrite> batch)
    {
        while (batch.Count > 0)
        {
            try
            {
                _store.WriteBatch(batch);
                Interlocked.Add(ref _written, batch.Count);
                Flushed?.Invoke(batch.Count(w => w.Kind == StoreWriteKind.Step));
                batch.Clear();
            }
            catch (Exception e) when (e is LiteDB.LiteException or IOException)
            {
                FlushFailed?.Invoke(e);
                Thread.Sleep(_flushInterval);
            }
        }
    }

    private readonly record struct Entry(StoreWrite Write, TaskCompletionSource? Flushed);
}
