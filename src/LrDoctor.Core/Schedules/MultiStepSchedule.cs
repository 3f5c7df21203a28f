namespace LrDoctor.Core.Schedules;

/// <summary>PyTorch's MultiStepLR: the LR is multiplied by <c>gamma</c> at each milestone (repeated milestones multiply again).</summary>
internal sealed class MultiStepSchedule : ILrSchedule
{
    private readonly long[] _milestones;
    private readonly double[] _values;

    /// <summary>Initializes a new instance of the <see cref="MultiStepSchedule"/> class.</summary>
    public MultiStepSchedule(double baseLr, IReadOnlyList<long> milestones, double gamma, ChainStart start)
    {
        int atZero = milestones.Count(m => m == 0);
        double first;
        if (start.AtMilestone)
        {
            first = baseLr * Math.Pow(gamma, atZero);
        }
        else
        {
            first = atZero > 0 ? start.GroupLr * Math.Pow(gamma, atZero) : start.GroupLr;
        }

        var groups = milestones.Where(m => m > 0).GroupBy(m => m).OrderBy(g => g.Key).ToArray();
        _milestones = [.. groups.Select(g => g.Key)];
        _values = new double[groups.Length + 1];
        _values[0] = first;
        for (int i = 0; i < groups.Length; i++)
        {
            _values[i + 1] = _values[i] * Math.Pow(gamma, groups[i].Count());
        }
    }

    /// <inheritdoc/>
    public double LearningRate(long step)
    {
        int index = Array.BinarySearch(_milestones, step);
        int passed = index >= 0 ? index + 1 : ~index;
        return _values[passed];
    }
}
