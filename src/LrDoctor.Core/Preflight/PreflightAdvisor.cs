using System.Globalization;
using System.Text.Json;
using LrDoctor.Core.Jobs;

namespace LrDoctor.Core.Preflight;

/// <summary>Checks a job against the usual learning-rate practice before it trains: a pure function of the job spec.</summary>
/// <remarks>
/// The ranges are the customary ones for each optimizer family (adaptive methods normalise the step, so their useful LR is
/// orders of magnitude below plain SGD's); they flag what is unusual, not what is wrong.
/// </remarks>
public static class PreflightAdvisor
{
    private static readonly Dictionary<string, (double Low, double High)> s_usualRange = new(StringComparer.Ordinal)
    {
        ["sgd"] = (1e-4, 1.0),
        ["adam"] = (1e-5, 1e-2),
        ["adamw"] = (1e-5, 1e-2),
        ["adamax"] = (1e-5, 2e-2),
        ["nadam"] = (1e-5, 1e-2),
        ["radam"] = (1e-5, 1e-2),
        ["rmsprop"] = (1e-5, 1e-2),
        ["adagrad"] = (1e-4, 1.0),
        ["adadelta"] = (1e-2, 10.0),
    };

    /// <summary>Gets the advice for a job (empty when nothing is unusual).</summary>
    /// <param name="job">The job.</param>
    /// <returns>The advice, in a stable order.</returns>
    public static IReadOnlyList<PreflightAdvice> Advise(JobSpec job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var advice = new List<PreflightAdvice>();
        var optimizer = job.Optimizer;
        double lr = job.ScaledLr;
        if (s_usualRange.TryGetValue(optimizer.Type, out var range))
        {
            if (lr > range.High)
            {
                advice.Add(new("lr_high_for_optimizer", $"LR {F(lr)} is above the usual range for {optimizer.Type} ({F(range.Low)} to {F(range.High)}): expect divergence; run an LR range test (find-lr) or start near {F(range.High / 10)}"));
            }
            else if (lr < range.Low)
            {
                advice.Add(new("lr_low_for_optimizer", $"LR {F(lr)} is below the usual range for {optimizer.Type} ({F(range.Low)} to {F(range.High)}): training will be very slow; run an LR range test (find-lr)"));
            }
        }

        if (job.BaseBatchSize is { } baseBatch && baseBatch != job.BatchSize && job.BatchScaling == BatchScaling.None)
        {
            double linear = optimizer.Lr * job.BatchSize / baseBatch;
            double sqrt = optimizer.Lr * Math.Sqrt((double)job.BatchSize / baseBatch);
            advice.Add(new("batch_changed_lr_not_scaled", $"batch size {job.BatchSize} differs from the base {baseBatch} but the LR {F(optimizer.Lr)} is not scaled: the linear rule gives {F(linear)} (SGD), the square-root rule {F(sqrt)} (adaptive optimizers); set batchScaling"));
        }

        bool adamFamily = optimizer.Type is "adam" or "adamw";
        if (job.Model.Type == ModelSpec.CharTransformer && adamFamily && lr >= 1e-3 && !HasWarmup(job.Schedule))
        {
            advice.Add(new("transformer_no_warmup", $"a transformer trained with {optimizer.Type} at LR {F(lr)} without warmup: early Adam steps are large while its variance estimate is poor; add a warmup (warmup_cosine, warmup_linear, onecycle)"));
        }

        if (optimizer.Type == "adam" && (optimizer.WeightDecay is > 0 || optimizer.ParamGroups.Any(g => g.WeightDecay is > 0)))
        {
            advice.Add(new("adam_weight_decay", "weight decay given to Adam acts as L2 through the adaptive step, so well-trained weights are barely decayed; use adamw for decoupled weight decay"));
        }

        return advice;
    }

    private static bool HasWarmup(JsonElement? schedule)
    {
        if (schedule is not { ValueKind: JsonValueKind.Object } s)
        {
            return false;
        }

        string? type = s.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type is "warmup_cosine" or "warmup_linear" or "inverse_sqrt" or "wsd")
        {
            return !s.TryGetProperty("warmupSteps", out var w) || w.ValueKind != JsonValueKind.Number || w.GetDouble() > 0;
        }

        if (type == "sequential" && s.TryGetProperty("schedules", out var parts) && parts.ValueKind == JsonValueKind.Array)
        {
            return parts.EnumerateArray().Take(1).Any(p => p.TryGetProperty("type", out var pt) && pt.GetString() is "linear" or "constant");
        }

        return type is "onecycle" or "linear" or "cyclic";
    }

    private static string F(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
}
