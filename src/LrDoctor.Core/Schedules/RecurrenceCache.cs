namespace LrDoctor.Core.Schedules;

/// <summary>Evaluates a first-order recurrence v(t) = next(t, v(t-1)) lazily, remembering every 256th value.</summary>
/// <remarks>
/// PyTorch's chainable schedulers (CosineAnnealingLR, ExponentialLR, LinearLR, PolynomialLR, ...) compute each
/// learning rate from the previous one, so their rounding differs from any closed form. Replaying the same float
/// operations reproduces them bit for bit; sequential access (what a training loop does) costs O(1) per step,
/// random access at most 255 replayed steps, and memory is 8 bytes per 256 steps.
/// </remarks>
internal sealed class RecurrenceCache
{
    private const int Stride = 256;

    private readonly Func<long, double, double> _next;
    private readonly long _frozenAfter;
    private readonly List<double> _checkpoints;
    private readonly Lock _gate = new();
    private long _cursorStep;
    private double _cursorValue;

    /// <summary>Initializes a new instance of the <see cref="RecurrenceCache"/> class.</summary>
    /// <param name="first">The value at step 0.</param>
    /// <param name="next">Computes the value at step t (t ≥ 1) from the value at step t - 1.</param>
    /// <param name="frozenAfter">A step after which the value never changes again, or <see cref="long.MaxValue"/>.</param>
    public RecurrenceCache(double first, Func<long, double, double> next, long frozenAfter = long.MaxValue)
    {
        _next = next;
        _frozenAfter = Math.Max(0, frozenAfter);
        _checkpoints = [first];
        _cursorValue = first;
    }

    /// <summary>Gets the value at <paramref name="step"/>.</summary>
    public double ValueAt(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        step = Math.Min(step, _frozenAfter);
        lock (_gate)
        {
            // Restart from the nearest known checkpoint at or below the step when it is closer than the cursor.
            long k = Math.Min(step / Stride, _checkpoints.Count - 1);
            if (step < _cursorStep || k * Stride > _cursorStep)
            {
                _cursorStep = k * Stride;
                _cursorValue = _checkpoints[(int)k];
            }

            while (_cursorStep < step)
            {
                _cursorStep++;
                _cursorValue = _next(_cursorStep, _cursorValue);
                if (_cursorStep % Stride == 0 && _cursorStep / Stride == _checkpoints.Count)
                {
                    _checkpoints.Add(_cursorValue);
                }
            }

            return _cursorValue;
        }
    }
}
