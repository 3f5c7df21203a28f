using System.Globalization;

namespace LrDoctor.Core.Diagnosis;

/// <summary>Collects a log's gradient norms and tells what a user wants to hear about them: a norm huge for the whole run, isolated spikes.</summary>
/// <remarks>
/// A norm in the tens of thousands or more for a whole run is what an unclipped fp16 run shows (the norm of the scaled
/// gradients) or a model whose gradients are never clipped; a single step whose norm is 10x the run's median, with normal
/// steps on both sides, is a bad batch that clipping would absorb. Neither is a learning-rate symptom by itself, so both
/// are <c>info</c>. The norms are kept (as floats) until the end of the log to take their median.
/// </remarks>
internal sealed class GradNormHints
{
    /// <summary>The median norm from which a whole run counts as huge.</summary>
    public const double HugeMedian = 1e4;

    /// <summary>How many times the median a norm must be to count as a spike.</summary>
    public const double SpikeFactor = 10;

    private readonly List<long> _steps = [];
    private readonly List<float> _norms = [];

    /// <summary>Adds the norm of one step (non-finite norms are the blow-up detector's business and are left out).</summary>
    /// <param name="step">The step.</param>
    /// <param name="norm">The gradient norm.</param>
    public void Observe(long step, double norm)
    {
        if (double.IsFinite(norm))
        {
            _steps.Add(step);
            _norms.Add((float)norm);
        }
    }

    /// <summary>Gets the hints for the norms seen.</summary>
    /// <param name="unit">What one entry is (<c>step</c> or <c>epoch</c>), for the wording.</param>
    /// <returns>The hints, possibly none.</returns>
    public IReadOnlyList<LogHint> Hints(string unit)
    {
        if (_norms.Count < 5)
        {
            return [];
        }

        var c = CultureInfo.InvariantCulture;
        float[] sorted = [.. _norms];
        Array.Sort(sorted);
        double median = sorted[sorted.Length / 2];
        double low = sorted[sorted.Length / 10];
        var hints = new List<LogHint>();
        if (median >= HugeMedian && low >= HugeMedian / 10)
        {
            hints.Add(new LogHint(
                "grad_norm_huge",
                _steps[0],
                string.Create(c, $"The gradient norm is huge for the whole run (median {median:G3}, 90% of {unit}s above {low:G3}): with fp16/AMP it is the norm of the loss-scaled gradients, otherwise the gradients are not clipped. Check that clipping is on (max_grad_norm, clip_grad_norm_ after unscaling)."),
                new Dictionary<string, double> { ["medianGradNorm"] = median, ["p10GradNorm"] = low, ["entries"] = _norms.Count }));
        }

        var spikes = new List<int>();
        for (int i = 0; i < _norms.Count; i++)
        {
            bool high = _norms[i] > SpikeFactor * median;
            bool isolated = (i == 0 || _norms[i - 1] <= SpikeFactor * median) && (i == _norms.Count - 1 || _norms[i + 1] <= SpikeFactor * median);
            if (high && isolated && median > 0)
            {
                spikes.Add(i);
            }
        }

        if (spikes.Count > 0)
        {
            string where = string.Join(", ", spikes.Take(5).Select(i => _steps[i].ToString("N0", c))) + (spikes.Count > 5 ? ", ..." : string.Empty);
            double max = spikes.Max(i => (double)_norms[i]);
            hints.Add(new LogHint(
                "grad_norm_spikes",
                _steps[spikes[0]],
                string.Create(c, $"{spikes.Count} isolated gradient-norm spike(s) above {SpikeFactor:G}x the median {median:G3} ({unit} {where}; largest {max:G3}): single bad batches. Gradient clipping keeps them from moving the weights."),
                new Dictionary<string, double> { ["spikes"] = spikes.Count, ["medianGradNorm"] = median, ["maxSpike"] = max }));
        }

        return hints;
    }
}
