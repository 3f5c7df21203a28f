namespace LrDoctor.Core.Schedules;

/// <content>SequentialLR, including the state its schedulers share through the optimizer's param group.</content>
public static partial class ScheduleFactory
{
    /// <remarks>
    /// PyTorch builds every sub-scheduler on the same optimizer before SequentialLR resets the LR to the group's
    /// <c>initial_lr</c>. A CyclicLR built first sets <c>initial_lr</c> to its own base LR; a OneCycleLR overwrites
    /// <c>initial_lr</c>, <c>max_lr</c> and <c>min_lr</c> (and, like CyclicLR, the momentum bounds) in the group. The later
    /// schedulers take their base LR from <c>initial_lr</c> at their construction, the first one starts from its final
    /// value, and every OneCycleLR reads the group's last levels. All of that is reproduced here, in two passes.
    /// </remarks>
    private static SequentialSchedule BuildSequential(SpecReader r, double baseLr)
    {
        IReadOnlyList<System.Text.Json.JsonElement> items = r.NonEmptyArray("schedules");
        IReadOnlyList<long> milestones = r.IntegerArray("milestones", min: 1);
        if (milestones.Count != items.Count - 1)
        {
            throw r.Invalid("milestones", $"needs {items.Count - 1} milestone(s) for {items.Count} schedules, got {milestones.Count}");
        }

        for (int i = 1; i < milestones.Count; i++)
        {
            if (milestones[i] <= milestones[i - 1])
            {
                throw r.Invalid($"milestones[{i}]", $"must be greater than the previous milestone ({milestones[i - 1]}), got {milestones[i]}");
            }
        }

        r.RejectUnknown();

        // Pass 1: validate each schedule and replay what its construction leaves in the optimizer's group.
        double? initialLr = null;
        var bases = new double[items.Count];
        var probes = new ILrSchedule[items.Count];
        OneCycleLevels? lastOneCycle = null;
        (double Base, double Max)? momentumBounds = null;
        double? constructionMomentum = null;
        for (int i = 0; i < items.Count; i++)
        {
            var reader = new SpecReader(items[i], SubPath(r, i));
            if (reader.Type() == "sequential")
            {
                throw reader.Invalid("type", "a sequential schedule cannot contain another sequential schedule");
            }

            ILrSchedule probe = Build(reader, baseLr, ChainStart.Initial(baseLr));
            probes[i] = probe;
            switch (probe)
            {
                case CyclicSchedule cyclic:
                    initialLr ??= cyclic.BaseLr;
                    if (cyclic.CyclesMomentum)
                    {
                        momentumBounds = cyclic.MomentumBounds;
                        constructionMomentum = cyclic.Momentum(0);
                    }

                    break;
                case OneCycleSchedule oneCycle:
                    initialLr = oneCycle.Levels.InitialLr;
                    lastOneCycle = oneCycle.Levels;
                    if (oneCycle.CyclesMomentum)
                    {
                        momentumBounds = (oneCycle.Levels.BaseMomentum, oneCycle.Levels.MaxMomentum);
                        constructionMomentum = oneCycle.Momentum(0);
                    }

                    break;
                default:
                    initialLr ??= baseLr;
                    break;
            }

            bases[i] = initialLr.Value;
        }

        // Pass 2: build each schedule for its place in the sequence.
        var schedules = new ILrSchedule[items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            ChainStart start = i == 0 ? ChainStart.Initial(initialLr!.Value) : ChainStart.Milestone;
            // Cyclic and one-cycle LRs are absolute; their defaults (baseLr, maxLr) stay the optimizer's LR.
            double scheduleBase = probes[i] is CyclicSchedule or OneCycleSchedule ? baseLr : bases[i];
            ILrSchedule schedule = Build(new SpecReader(items[i], SubPath(r, i)), scheduleBase, start);
            if (schedule is OneCycleSchedule oneCycle)
            {
                (double mBase, double mMax) = momentumBounds ?? (oneCycle.Levels.BaseMomentum, oneCycle.Levels.MaxMomentum);
                schedule = oneCycle.WithLevels(lastOneCycle! with
                {
                    CycleMomentum = oneCycle.CyclesMomentum,
                    BaseMomentum = mBase,
                    MaxMomentum = mMax,
                });
            }

            schedules[i] = schedule;
        }

        return new SequentialSchedule(schedules, milestones, constructionMomentum);
    }

    private static string SubPath(SpecReader r, int index) => $"{r.FieldPath("schedules")}[{index}]";
}
