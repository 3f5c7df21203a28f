using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace LrDoctor.Testing;

/// <summary>A <see cref="FakeTimeProvider"/> that tells the test each timer a background loop creates (a <c>Task.Delay</c>, a timed
/// <see cref="CancellationTokenSource"/>), so the test advances virtual time only once the loop is waiting on it.</summary>
internal sealed class WatchedClock : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    public WatchedClock()
        : base(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits (in real time, at most 30 s) for the next timer to be created and returns its due time.</summary>
    public async Task<TimeSpan> NextTimerAsync() =>
        await _created.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);

    /// <summary>Waits for the next timer due after <paramref name="dueTime"/>, skipping others.</summary>
    public async Task WaitForTimerAsync(TimeSpan dueTime)
    {
        while (await NextTimerAsync().ConfigureAwait(false) != dueTime)
        {
        }
    }
}
