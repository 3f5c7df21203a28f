namespace LrDoctor.Core.Schedules;

/// <summary>PyTorch's SequentialLR: schedule i runs from milestone i-1, restarted at its own step 0.</summary>
/// <remarks>
/// Momentum follows the optimizer's param group as PyTorch leaves it: while a schedule that cycles momentum runs it
/// sets the momentum; while one that does not runs, the momentum stays where the last cycling schedule left it (or
/// where construction of the cycling schedules left it).
/// </remarks>
internal sealed class SequentialSchedule : ILrSchedule
{
    private readonly ILrSchedule[] _schedules;
    private readonly long[] _milestones;
    private readonly double? _constructionMomentum;

    /// <summary>Initializes a new instance of the <see cref="SequentialSchedule"/> class.</summary>
    /// <param name="schedules">The schedules, each already built for its position.</param>
    /// <param name="milestones">The strictly increasing steps (≥ 1) where schedule i + 1 takes over.</param>
    /// <param name="constructionMomentum">The momentum the optimizer holds before the first cycling schedule runs.</param>
    public SequentialSchedule(IReadOnlyList<ILrSchedule> schedules, IReadOnlyList<long> milestones, double? constructionMomentum)
    {
        _schedules = [.. schedules];
        _milestones = [.. milestones];
        _constructionMomentum = constructionMomentum;
        CyclesMomentum = _schedules.Any(s => s.CyclesMomentum);
    }

    /// <inheritdoc/>
    public bool CyclesMomentum { get; }

    /// <inheritdoc/>
    public double LearningRate(long step)
    {
        int i = Active(step);
        return _schedules[i].LearningRate(step - Start(i));
    }

    /// <inheritdoc/>
    public double? Momentum(long step)
    {
        if (!CyclesMomentum)
        {
            return null;
        }

        int i = Active(step);
        if (_schedules[i].CyclesMomentum)
        {
            return _schedules[i].Momentum(step - Start(i));
        }

        for (int j = i - 1; j >= 0; j--)
        {
            if (_schedules[j].CyclesMomentum)
            {
                return _schedules[j].Momentum(_milestones[j] - 1 - Start(j));
            }
        }

        return _constructionMomentum;
    }

    private long Start(int index) => index == 0 ? 0 : _milestones[index - 1];

    private int Active(long step)
    {
        // bisect_right: the number of milestones <= step.
        int index = Array.BinarySearch(_milestones, step);
        return index >= 0 ? index + 1 : ~index;
    }
}
