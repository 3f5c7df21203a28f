using System.Text.Json;

namespace LrDoctor.Core.Jobs;

/// <summary>A training job, as the daemon's <c>Jobs</c> entries, <c>lrdoctor run</c>, <c>find-lr</c> and <c>POST /api/runs</c> take it.</summary>
/// <remarks>Build one with <see cref="Parse"/> or <see cref="FromJson"/>: they validate every field and name the bad one in a <see cref="SpecException"/>.</remarks>
public sealed record JobSpec
{
    /// <summary>Gets the job's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the model.</summary>
    public required ModelSpec Model { get; init; }

    /// <summary>Gets the data.</summary>
    public required DataSpec Data { get; init; }

    /// <summary>Gets the optimizer.</summary>
    public required OptimizerSpec Optimizer { get; init; }

    /// <summary>Gets the schedule specification (for <c>ScheduleFactory</c>), or <see langword="null"/> for a constant LR.</summary>
    public JsonElement? Schedule { get; init; }

    /// <summary>Gets the number of optimizer steps, when given instead of <see cref="Epochs"/>.</summary>
    public long? Steps { get; init; }

    /// <summary>Gets the number of epochs, when given instead of <see cref="Steps"/>.</summary>
    public int? Epochs { get; init; }

    /// <summary>Gets the batch size.</summary>
    /// <value>Default 32.</value>
    public int BatchSize { get; init; } = 32;

    /// <summary>Gets the batch size the LR was tuned for, when the job scales it.</summary>
    public int? BaseBatchSize { get; init; }

    /// <summary>Gets the batch-size scaling rule, one of <see cref="Jobs.BatchScaling.All"/>.</summary>
    public string BatchScaling { get; init; } = Jobs.BatchScaling.None;

    /// <summary>Gets the maximum total gradient norm, or <see langword="null"/> for no clipping.</summary>
    public double? GradClip { get; init; }

    /// <summary>Gets the seed of initialisation, data split and batch order.</summary>
    public int Seed { get; init; }

    /// <summary>Gets how often (in steps) validation runs.</summary>
    /// <value>Default 50.</value>
    public int EvalEvery { get; init; } = 50;

    /// <summary>Gets how often (in steps) a known-good snapshot is taken.</summary>
    /// <value>Default 100.</value>
    public int CheckpointEvery { get; init; } = 100;

    /// <summary>Gets the device: <c>cpu</c> or <c>cuda</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Gets whether an LR range test runs before training (wired by the LR finder).</summary>
    public bool FindLr { get; init; }

    /// <summary>Gets the doctor's settings.</summary>
    public DoctorSpec Doctor { get; init; } = new();

    /// <summary>Gets the headline LR after batch-size scaling (before the schedule and interventions).</summary>
    public double ScaledLr => Optimizer.Lr * Jobs.BatchScaling.Factor(BatchScaling, BatchSize, BaseBatchSize ?? BatchSize);

    /// <summary>Parses and validates a job from JSON text.</summary>
    /// <param name="json">The job spec.</param>
    /// <returns>The job.</returns>
    /// <exception cref="SpecException">The JSON is malformed or a field is invalid; the exception names it.</exception>
    public static JobSpec Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new SpecException("$", $"not valid JSON: {e.Message}");
        }

        using (document)
        {
            return FromJson(document.RootElement);
        }
    }

    /// <summary>Validates a job given as a JSON element (the element may be disposed afterwards).</summary>
    /// <param name="element">The job spec object.</param>
    /// <returns>The job.</returns>
    /// <exception cref="SpecException">A field is invalid; the exception names it.</exception>
    public static JobSpec FromJson(JsonElement element) => JobSpecReader.Read(element);
}
