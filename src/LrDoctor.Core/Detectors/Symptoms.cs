namespace LrDoctor.Core.Detectors;

/// <summary>The stable symptom identifiers used in CLI JSON, metric labels, alert rules and the HTTP API.</summary>
public static class Symptoms
{
    /// <summary>Loss or gradient non-finite, or the loss blown up far above its best.</summary>
    public const string NanExplosion = "nan_explosion";

    /// <summary>A sudden loss jump well above the recent level.</summary>
    public const string Spike = "spike";

    /// <summary>The loss bounces without making progress.</summary>
    public const string Oscillation = "oscillation";

    /// <summary>The loss stopped improving.</summary>
    public const string Plateau = "plateau";

    /// <summary>A steady but very slow decrease.</summary>
    public const string TooSlow = "too_slow";

    /// <summary>Training loss falls while validation loss rises.</summary>
    public const string TrainValDivergence = "train_val_divergence";

    /// <summary>Gets every symptom identifier, in the order of the design table.</summary>
    public static IReadOnlyList<string> All { get; } =
        [NanExplosion, Spike, Oscillation, Plateau, TooSlow, TrainValDivergence];
}
