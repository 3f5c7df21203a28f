namespace LrDoctor.Core.LrFinder;

/// <summary>Records the batches of an LR range test as they come: smooths the loss and applies the stop rule.</summary>
/// <remarks>
/// The smoothing is the bias-corrected exponential moving average of Adam and fastai, so the first points are averages of
/// what was seen rather than a value dragged towards zero. The test stops at the first non-finite loss (that batch is not
/// kept: a NaN has no place on the curve) or when the smoothed loss exceeds <see cref="LrFinderOptions.DivergenceFactor"/>
/// times its best value. The factor rule is only meaningful for a positive loss, so it is not applied while the best is ≤ 0.
/// A single early spike lifts a young average above the factor by itself and ends a fastai test before it has seen anything;
/// here the rule also asks the last <see cref="ConfirmBatches"/> raw losses to be above the line, which a real blow-up
/// satisfies at once (its raw losses lead the average) and an isolated spike never does.
/// </remarks>
public sealed class LrRangeRecorder
{
    /// <summary>How many consecutive raw losses above the divergence line confirm a blow-up.</summary>
    public const int ConfirmBatches = 3;

    private readonly LrFinderOptions _options;
    private readonly List<LrFinderPoint> _points = [];
    private double _average;
    private double _best = double.PositiveInfinity;

    /// <summary>Initializes a new instance of the <see cref="LrRangeRecorder"/> class.</summary>
    /// <param name="options">The test's settings; validated here.</param>
    public LrRangeRecorder(LrFinderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>Gets the points recorded so far.</summary>
    public IReadOnlyList<LrFinderPoint> Points => _points;

    /// <summary>Gets whether the stop rule has ended the test.</summary>
    public bool IsStopped => StopReason != LrFinderStopReasons.Completed;

    /// <summary>Gets why the test ended so far (<see cref="LrFinderStopReasons"/>).</summary>
    public string StopReason { get; private set; } = LrFinderStopReasons.Completed;

    /// <summary>Records the loss of one batch, measured before the optimizer step at <paramref name="lr"/>.</summary>
    /// <param name="lr">The learning rate of the step that follows.</param>
    /// <param name="loss">The batch loss.</param>
    /// <returns><see langword="true"/> when the test goes on (take the optimizer step); <see langword="false"/> when it stops here.</returns>
    public bool Record(double lr, double loss)
    {
        if (IsStopped)
        {
            return false;
        }

        if (!double.IsFinite(loss))
        {
            StopReason = LrFinderStopReasons.NonFinite;
            return false;
        }

        double beta = _options.Beta;
        _average = (beta * _average) + ((1 - beta) * loss);
        double smoothed = _average / (1 - Math.Pow(beta, _points.Count + 1));
        _points.Add(new LrFinderPoint(lr, loss, smoothed));
        _best = Math.Min(_best, smoothed);
        double line = _options.DivergenceFactor * _best;
        if (_best > 0 && smoothed > line && _points.Count >= ConfirmBatches
            && Enumerable.Range(_points.Count - ConfirmBatches, ConfirmBatches).All(i => _points[i].Loss > line))
        {
            StopReason = LrFinderStopReasons.Diverged;
            return false;
        }

        return true;
    }

    /// <summary>Analyses what was recorded.</summary>
    /// <param name="seconds">The wall-clock duration of the test.</param>
    /// <returns>The result with every suggestion.</returns>
    public LrFinderResult Finish(double seconds) =>
        LrFinderAnalysis.Analyze(_points, IsStopped || _points.Count < _options.Steps, StopReason, seconds);
}
