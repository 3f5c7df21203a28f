namespace LrDoctor.Core.Detectors;

/// <summary>An exponential moving average of a value and of its absolute deviation, averaging plainly until the span is reached.</summary>
/// <remarks>
/// Until <c>span</c> values are seen the weight is 1/n, so the first values are not biased toward the first one (the
/// bias correction of Adam, done by hand). The mean absolute deviation is a cheaper, more robust cousin of the standard
/// deviation: ZClip's z-score on gradient norms uses an EMA variance, which a single outlier inflates far more.
/// </remarks>
internal struct RunningLevel
{
    private readonly double _alpha;

    /// <summary>Initializes a new instance of the <see cref="RunningLevel"/> struct.</summary>
    /// <param name="span">The span of the average in observations (weight 2/(span+1)).</param>
    public RunningLevel(double span)
    {
        _alpha = 2.0 / (Math.Max(1, span) + 1);
    }

    /// <summary>Gets the number of values added.</summary>
    public long Count { get; private set; }

    /// <summary>Gets the running mean.</summary>
    public double Mean { get; private set; }

    /// <summary>Gets the running mean absolute deviation from the running mean.</summary>
    public double Deviation { get; private set; }

    /// <summary>Adds a value.</summary>
    /// <param name="value">The value.</param>
    public void Add(double value)
    {
        Count++;
        if (Count == 1)
        {
            Mean = value;
            Deviation = 0;
            return;
        }

        double weight = Math.Max(_alpha, 1.0 / Count);
        double residual = value - Mean;
        Mean += weight * residual;
        Deviation += weight * (Math.Abs(residual) - Deviation);
    }

    /// <summary>Forgets every value.</summary>
    public void Clear()
    {
        Count = 0;
        Mean = 0;
        Deviation = 0;
    }
}
