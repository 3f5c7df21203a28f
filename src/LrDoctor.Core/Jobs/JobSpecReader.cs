using System.Text.Json;
using LrDoctor.Core.Schedules;

namespace LrDoctor.Core.Jobs;

/// <summary>Validates the JSON of a <see cref="JobSpec"/>, field by field.</summary>
internal static class JobSpecReader
{
    private static readonly string[] s_activations = ["relu", "tanh", "gelu"];
    private static readonly string[] s_tasks = ["classification", "regression"];
    private static readonly string[] s_devices = ["cpu", "cuda"];
    private static readonly string[] s_thresholdModes = ["rel", "abs"];

    /// <summary>Reads and validates a job.</summary>
    public static JobSpec Read(JsonElement element)
    {
        var root = new SpecObject(element, "");
        string name = root.String("name") ?? "job";
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new SpecException("name", "must not be empty");
        }

        var model = ReadModel(root.Object("model") ?? throw new SpecException("model", $"is required; types: {string.Join(", ", ModelSpec.Types)}"));
        var data = ReadData(root.Object("data") ?? throw new SpecException("data", $"is required; types: {string.Join(", ", DataSpec.Types)}"));
        var optimizer = ReadOptimizer(root.Object("optimizer") ?? throw new SpecException("optimizer", $"is required; types: {string.Join(", ", OptimizerSpec.Types)}"));
        JsonElement? schedule = root.Element("schedule") is { } s ? s.Clone() : null;
        if (schedule is { } sc && sc.ValueKind != JsonValueKind.Object)
        {
            throw new SpecException("schedule", $"must be an object, got {SpecObject.Describe(sc)}");
        }

        if (schedule is { } valid)
        {
            // Validate now so a bad schedule is refused with the job (POST /api/runs, lrdoctor run), naming schedule.<field>.
            _ = ScheduleFactory.Create(valid, optimizer.Lr);
        }

        long? steps = root.Long("steps", 1);
        int? epochs = root.Int("epochs", 1);
        if (steps is null && epochs is null)
        {
            throw new SpecException("steps", "one of 'steps' or 'epochs' is required");
        }

        if (steps is not null && epochs is not null)
        {
            throw new SpecException("epochs", "give 'steps' or 'epochs', not both");
        }

        int batchSize = root.Int("batchSize", 1) ?? 32;
        int? baseBatch = root.Int("baseBatchSize", 1);
        string scaling = root.Choice("batchScaling", BatchScaling.None, BatchScaling.All);
        if (scaling != BatchScaling.None && baseBatch is null)
        {
            throw new SpecException("baseBatchSize", $"is required when batchScaling is '{scaling}'");
        }

        var job = new JobSpec
        {
            Name = name,
            Model = model,
            Data = data,
            Optimizer = optimizer,
            Schedule = schedule,
            Steps = steps,
            Epochs = epochs,
            BatchSize = batchSize,
            BaseBatchSize = baseBatch,
            BatchScaling = scaling,
            GradClip = root.Double("gradClip", 0, minExclusive: true),
            Seed = root.Int("seed", 0) ?? 0,
            EvalEvery = root.Int("evalEvery", 1) ?? 50,
            CheckpointEvery = root.Int("checkpointEvery", 1) ?? 100,
            Device = root.Choice("device", "cpu", s_devices),
            FindLr = root.Bool("findLr") ?? false,
            Doctor = root.Object("doctor") is { } d ? ReadDoctor(d) : new DoctorSpec(),
        };

        // autoStart belongs to the daemon's job entries; keys starting with '$' or '_' are comments.
        root.RejectUnknown(IgnoredTopLevel(element));
        return job;
    }

    private static string[] IgnoredTopLevel(JsonElement element) =>
        [.. element.EnumerateObject().Select(p => p.Name).Where(n => n == "autoStart" || n.StartsWith('$') || n.StartsWith('_'))];

    private static ModelSpec ReadModel(SpecObject o)
    {
        string type = o.RequiredChoice("type", ModelSpec.Types);
        var defaults = new ModelSpec { Type = type };
        var model = new ModelSpec
        {
            Type = type,
            Layers = o.IntArray("layers", 1, 1 << 16) ?? defaults.Layers,
            Channels = o.IntArray("channels", 1, 1024) ?? defaults.Channels,
            Activation = o.Choice("activation", defaults.Activation, s_activations),
            Dropout = o.Double("dropout", 0, 0.99) ?? 0,
            DModel = o.Int("dModel", 1, 4096) ?? defaults.DModel,
            Heads = o.Int("heads", 1, 64) ?? defaults.Heads,
            Blocks = o.Int("blocks", 1, 64) ?? defaults.Blocks,
            Context = o.Int("context", 2, 4096) ?? defaults.Context,
        };
        if (type == ModelSpec.Mlp && model.Layers.Count == 0)
        {
            throw new SpecException(o.FieldPath("layers"), "needs at least one hidden layer width");
        }

        if (type == ModelSpec.Cnn && model.Channels.Count is < 1 or > 3)
        {
            throw new SpecException(o.FieldPath("channels"), "needs 1 to 3 convolution widths (8x8 images are halved by each)");
        }

        if (type == ModelSpec.CharTransformer && model.DModel % model.Heads != 0)
        {
            throw new SpecException(o.FieldPath("heads"), $"must divide dModel ({model.DModel}), got {model.Heads}");
        }

        o.RejectUnknown();
        return model;
    }

    private static DataSpec ReadData(SpecObject o)
    {
        string type = o.RequiredChoice("type", DataSpec.Types);
        string? path = o.String("path");
        if (path is not null && string.IsNullOrWhiteSpace(path))
        {
            throw new SpecException(o.FieldPath("path"), "must not be empty");
        }

        if (path is null && type is DataSpec.Csv or DataSpec.Text)
        {
            throw new SpecException(o.FieldPath("path"), $"is required for data type '{type}'");
        }

        var defaults = new DataSpec { Type = type };
        var data = new DataSpec
        {
            Type = type,
            Path = path ?? (type == DataSpec.Digits ? "data/digits.csv" : null),
            ValFraction = o.Double("valFraction", 0, 0.9) ?? defaults.ValFraction,
            Target = o.String("target"),
            Task = o.Choice("task", defaults.Task, s_tasks),
            Samples = o.Int("samples", 10, 10_000_000) ?? defaults.Samples,
            Features = o.Int("features", 1, 100_000) ?? defaults.Features,
            Classes = o.Int("classes", 2, 100_000) ?? defaults.Classes,
            Noise = o.Double("noise", 0) ?? defaults.Noise,
            Normalize = o.Bool("normalize") ?? true,
        };
        o.RejectUnknown();
        return data;
    }

    private static OptimizerSpec ReadOptimizer(SpecObject o)
    {
        string type = o.RequiredChoice("type", OptimizerSpec.Types);
        double lr = o.Double("lr", 0, minExclusive: true) ?? throw new SpecException(o.FieldPath("lr"), "is required");
        double[]? betas = o.DoubleArray("betas", 0, 0.999999);
        if (betas is not null && betas.Length != 2)
        {
            throw new SpecException(o.FieldPath("betas"), $"must have two values [beta1, beta2], got {betas.Length}");
        }

        double? momentum = o.Double("momentum", 0, 0.999999);
        bool nesterov = o.Bool("nesterov") ?? false;
        if (nesterov && (type != "sgd" || momentum is not > 0))
        {
            throw new SpecException(o.FieldPath("nesterov"), "needs optimizer type 'sgd' with a momentum > 0");
        }

        if (momentum is not null && type is not ("sgd" or "rmsprop"))
        {
            throw new SpecException(o.FieldPath("momentum"), $"applies to sgd and rmsprop; for '{type}' use betas");
        }

        if (betas is not null && !OptimizerSpec.AdamFamily.Contains(type))
        {
            throw new SpecException(o.FieldPath("betas"), $"applies to {string.Join(", ", OptimizerSpec.AdamFamily)}, not '{type}'");
        }

        var groups = new List<ParamGroupSpec>();
        foreach (var (element, path) in o.Array("paramGroups") ?? [])
        {
            var g = new SpecObject(element, path);
            string pattern = g.String("pattern") ?? throw new SpecException(g.FieldPath("pattern"), "is required (a glob over parameter names, e.g. \"*.bias\")");
            if (pattern.Length == 0)
            {
                throw new SpecException(g.FieldPath("pattern"), "must not be empty");
            }

            groups.Add(new ParamGroupSpec(pattern, g.Double("lrMultiplier", 0, minExclusive: true) ?? 1.0, g.Double("weightDecay", 0)));
            g.RejectUnknown();
        }

        var spec = new OptimizerSpec
        {
            Type = type,
            Lr = lr,
            Momentum = momentum,
            Nesterov = nesterov,
            Betas = betas,
            WeightDecay = o.Double("weightDecay", 0),
            Eps = o.Double("eps", 0, minExclusive: true),
            ParamGroups = groups,
            LayerDecay = o.Double("layerDecay", 0, 1, minExclusive: true),
        };
        o.RejectUnknown();
        return spec;
    }

    private static DoctorSpec ReadDoctor(SpecObject o)
    {
        var d = new DoctorSpec();
        var doctor = new DoctorSpec
        {
            Mode = o.Choice("mode", d.Mode, DoctorSpec.Modes),
            CutFactor = o.Double("cutFactor", 0, 1, minExclusive: true) ?? d.CutFactor,
            BlowUpFactor = o.Double("blowUpFactor", 0) ?? d.BlowUpFactor,
            SpikeCutFactor = o.Double("spikeCutFactor", 0, 1, minExclusive: true) ?? d.SpikeCutFactor,
            OscillationCutFactor = o.Double("oscillationCutFactor", 0, 1, minExclusive: true) ?? d.OscillationCutFactor,
            RaiseFactor = o.Double("raiseFactor", 1, 100) ?? d.RaiseFactor,
            RaiseCeiling = o.Double("raiseCeiling", 0, 1, minExclusive: true) ?? d.RaiseCeiling,
            MinScale = o.Double("minScale", 0, 1) ?? d.MinScale,
            MaxRollbacks = o.Int("maxRollbacks", 0, 1000) ?? d.MaxRollbacks,
            SkipBatches = o.Int("skipBatches", 0, 100_000) ?? d.SkipBatches,
            RetestLr = o.Bool("retestLr") ?? d.RetestLr,
            Smoothing = o.Double("smoothing", 0, 0.9999) ?? d.Smoothing,
            Plateau = o.Object("plateau") is { } p ? ReadPlateau(p) : d.Plateau,
        };
        o.RejectUnknown();
        return doctor;
    }

    private static PlateauSpec ReadPlateau(SpecObject o)
    {
        var d = new PlateauSpec();
        var plateau = new PlateauSpec
        {
            Enabled = o.Bool("enabled") ?? d.Enabled,
            Factor = o.Double("factor", 0, 1, minExclusive: true) ?? d.Factor,
            Patience = o.Int("patience", 0, 1_000_000) ?? d.Patience,
            Threshold = o.Double("threshold", 0) ?? d.Threshold,
            ThresholdMode = o.Choice("thresholdMode", d.ThresholdMode, s_thresholdModes),
            Cooldown = o.Int("cooldown", 0, 1_000_000) ?? d.Cooldown,
            MinLr = o.Double("minLr", 0) ?? d.MinLr,
            Eps = o.Double("eps", 0) ?? d.Eps,
        };
        if (plateau.Factor >= 1.0)
        {
            throw new SpecException(o.FieldPath("factor"), "must be < 1 (PyTorch refuses factor >= 1)");
        }

        o.RejectUnknown();
        return plateau;
    }
}
