using System.Text.Json;

namespace LrDoctor.Core.Schedules;

/// <summary>Builds learning-rate schedules from their JSON spec (DESIGN.md's schedule spec), with PyTorch's defaults for omitted fields.</summary>
public static partial class ScheduleFactory
{
    private const double OneThird = 1.0 / 3;

    /// <summary>Gets the schedule types, in the order error messages list them.</summary>
    public static IReadOnlyList<string> Types { get; } =
    [
        "constant", "step", "multistep", "exponential", "linear", "cosine", "cosine_restarts", "polynomial",
        "cyclic", "onecycle", "sequential", "warmup_cosine", "warmup_linear", "inverse_sqrt", "wsd",
    ];

    /// <summary>Creates the schedule described by <paramref name="spec"/> for an optimizer whose LR is <paramref name="baseLr"/>.</summary>
    /// <param name="spec">The spec object, for example <c>{"type":"cosine","tMax":100}</c>.</param>
    /// <param name="baseLr">The optimizer's learning rate (PyTorch's <c>initial_lr</c>).</param>
    /// <param name="path">The spec's JSON path, used to name fields in errors.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="SpecException">A field is missing, out of range, of the wrong kind, or unknown; or the type is unknown.</exception>
    public static ILrSchedule Create(JsonElement spec, double baseLr, string path = "schedule")
    {
        if (!double.IsFinite(baseLr) || baseLr < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(baseLr), baseLr, "the base learning rate must be a finite non-negative number");
        }

        return Build(new SpecReader(spec, path), baseLr, ChainStart.Initial(baseLr));
    }

    /// <summary>Creates a constant schedule.</summary>
    /// <param name="baseLr">The learning rate at every step.</param>
    /// <returns>The schedule.</returns>
    public static ILrSchedule Constant(double baseLr) => new ConstantSchedule(baseLr);

    private static ILrSchedule Build(SpecReader r, double baseLr, ChainStart start)
    {
        string type = r.Type();
        ILrSchedule schedule = type switch
        {
            "constant" => BuildConstant(r, baseLr, start),
            "step" => new StepSchedule(baseLr, r.RequiredInteger("stepSize", min: 1), r.Number("gamma", 0.1), start),
            "multistep" => new MultiStepSchedule(baseLr, r.IntegerArray("milestones"), r.Number("gamma", 0.1), start),
            "exponential" => new ExponentialSchedule(baseLr, r.RequiredNumber("gamma"), start),
            "linear" => new LinearSchedule(
                baseLr,
                r.Number("startFactor", OneThird, min: 0, exclusiveMin: true, max: 1),
                r.Number("endFactor", 1.0, max: 1),
                r.Integer("totalIters", 5),
                start),
            "cosine" => new CosineAnnealingSchedule(baseLr, r.RequiredInteger("tMax", min: 1), r.Number("etaMin", 0.0), start),
            "cosine_restarts" => new CosineRestartsSchedule(
                baseLr,
                r.RequiredInteger("t0", min: 1),
                r.Integer("tMult", 1, min: 1),
                r.Number("etaMin", 0.0)),
            "polynomial" => new PolynomialSchedule(baseLr, r.Integer("totalIters", 5), r.Number("power", 1.0), start),
            "cyclic" => BuildCyclic(r, baseLr),
            "onecycle" => BuildOneCycle(r, baseLr),
            "sequential" => BuildSequential(r, baseLr),
            "warmup_cosine" => new WarmupCosineSchedule(
                baseLr,
                r.Integer("warmupSteps", 0),
                r.RequiredInteger("totalSteps"),
                r.Number("minLrRatio", 0.0, max: 1),
                r.Number("numCycles", 0.5)),
            "warmup_linear" => new WarmupLinearSchedule(baseLr, r.Integer("warmupSteps", 0), r.RequiredInteger("totalSteps")),
            "inverse_sqrt" => new InverseSqrtSchedule(
                baseLr,
                r.Integer("warmupSteps", 4000),
                r.Number("dModel", 512, min: 0, exclusiveMin: true)),
            "wsd" => BuildWsd(r, baseLr),
            _ => throw new SpecException(r.FieldPath("type"), $"unknown type '{type}'; valid: {string.Join(", ", Types)}"),
        };
        r.RejectUnknown();
        return schedule;
    }

    private static ILrSchedule BuildConstant(SpecReader r, double baseLr, ChainStart start)
    {
        double? factor = r.OptionalNumber("factor", min: 0, exclusiveMin: true, max: 1);
        long? totalIters = r.OptionalInteger("totalIters");
        if (factor is null && totalIters is null)
        {
            // Hugging Face's get_constant_schedule: a LambdaLR of 1, i.e. the scheduler's base LR at every step.
            return new ConstantSchedule(baseLr);
        }

        return new ConstantFactorSchedule(baseLr, factor ?? OneThird, totalIters ?? 5, start);
    }

    private static CyclicSchedule BuildCyclic(SpecReader r, double baseLr)
    {
        double lower = r.Number("baseLr", baseLr);
        double upper = r.RequiredNumber("maxLr");
        double up = r.Number("stepSizeUp", 2000, min: 0, exclusiveMin: true);
        double down = r.Number("stepSizeDown", up);
        CyclicMode mode = r.Choice("mode", "triangular", "triangular", "triangular2", "exp_range") switch
        {
            "triangular" => CyclicMode.Triangular,
            "triangular2" => CyclicMode.Triangular2,
            _ => CyclicMode.ExpRange,
        };
        double gamma = r.Number("gamma", 1.0);
        bool cycleMomentum = r.Flag("cycleMomentum", true);
        double baseMomentum = r.Number("baseMomentum", 0.8);
        double maxMomentum = r.Number("maxMomentum", 0.9);
        return new CyclicSchedule(lower, upper, up, down, mode, gamma, cycleMomentum, baseMomentum, maxMomentum);
    }

    private static OneCycleSchedule BuildOneCycle(SpecReader r, double baseLr)
    {
        double maxLr = r.Number("maxLr", baseLr);
        long? totalSteps = r.OptionalInteger("totalSteps", min: 1);
        long? epochs = r.OptionalInteger("epochs", min: 1);
        long? stepsPerEpoch = r.OptionalInteger("stepsPerEpoch", min: 1);
        if (totalSteps is null)
        {
            if (epochs is null || stepsPerEpoch is null)
            {
                throw r.Invalid("totalSteps", "required field is missing (or give both epochs and stepsPerEpoch)");
            }

            totalSteps = epochs.Value * stepsPerEpoch.Value;
        }

        double pctStart = r.Number("pctStart", 0.3, max: 1);
        bool linear = r.Choice("anneal", "cos", "cos", "linear") == "linear";
        double divFactor = r.Number("divFactor", 25.0, min: 0, exclusiveMin: true);
        double finalDivFactor = r.Number("finalDivFactor", 1e4, min: 0, exclusiveMin: true);
        bool threePhase = r.Flag("threePhase", false);
        bool cycleMomentum = r.Flag("cycleMomentum", true);
        double baseMomentum = r.Number("baseMomentum", 0.85);
        double maxMomentum = r.Number("maxMomentum", 0.95);
        double initialLr = maxLr / divFactor;
        var levels = new OneCycleLevels(initialLr, maxLr, initialLr / finalDivFactor, cycleMomentum, baseMomentum, maxMomentum);
        var schedule = new OneCycleSchedule(totalSteps.Value, pctStart, linear, threePhase, levels);
        if (schedule.HasEmptyWarmup)
        {
            throw r.Invalid("pctStart", "pctStart × totalSteps = 1 leaves the warm-up phase without a step (PyTorch's OneCycleLR divides by zero at step 0)");
        }

        return schedule;
    }

    private static WsdSchedule BuildWsd(SpecReader r, double baseLr)
    {
        long warmupSteps = r.Integer("warmupSteps", 0);
        long decayStart = r.RequiredInteger("decayStart");
        long totalSteps = r.RequiredInteger("totalSteps");
        if (decayStart < warmupSteps)
        {
            throw r.Invalid("decayStart", $"must be at least warmupSteps ({warmupSteps}), got {decayStart}");
        }

        if (totalSteps < decayStart)
        {
            throw r.Invalid("totalSteps", $"must be at least decayStart ({decayStart}), got {totalSteps}");
        }

        DecayShape decay = Shape(r.Choice("decay", "cosine", "linear", "cosine", "1-sqrt"));
        DecayShape warmup = Shape(r.Choice("warmup", "linear", "linear", "cosine", "1-sqrt"));
        return new WsdSchedule(
            baseLr,
            warmupSteps,
            decayStart,
            totalSteps,
            warmup,
            decay,
            r.Number("minLrRatio", 0.0, max: 1),
            r.Number("numCycles", 0.5));
    }

    private static DecayShape Shape(string name) => name switch
    {
        "linear" => DecayShape.Linear,
        "cosine" => DecayShape.Cosine,
        _ => DecayShape.OneMinusSqrt,
    };
}
