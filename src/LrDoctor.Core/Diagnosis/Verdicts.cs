using System.Globalization;
using LrDoctor.Core.Detectors;

namespace LrDoctor.Core.Diagnosis;

/// <summary>Words for people: the name of each symptom and the one-paragraph verdict of a diagnosis.</summary>
public static class Verdicts
{
    /// <summary>Gets a short description of a symptom, for headings and plot labels.</summary>
    /// <param name="symptom">A symptom identifier.</param>
    /// <returns>The description.</returns>
    public static string Describe(string symptom) => symptom switch
    {
        Symptoms.NanExplosion => "the loss blew up",
        Symptoms.Spike => "the loss spiked",
        Symptoms.Oscillation => "the loss bounces without progress",
        Symptoms.Plateau => "the loss stopped improving",
        Symptoms.TooSlow => "the loss falls far too slowly",
        Symptoms.TrainValDivergence => "validation loss rises while training loss falls",
        _ => symptom,
    };

    /// <summary>Writes the verdict of a diagnosis: healthy, or the most urgent finding with its cause and action.</summary>
    /// <param name="diagnosis">The diagnosis.</param>
    /// <returns>One paragraph.</returns>
    public static string For(LogDiagnosis diagnosis)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);
        var c = CultureInfo.InvariantCulture;
        if (diagnosis.Steps == 0)
        {
            return "No steps to diagnose.";
        }

        if (diagnosis.Findings.Count == 0)
        {
            return $"Healthy: no learning-rate symptom in {Count(diagnosis)}" +
                (double.IsNaN(diagnosis.FirstLoss) ? "." : string.Create(c, $" (training loss {diagnosis.FirstLoss:G3} to {diagnosis.LastLoss:G3})."));
        }

        Finding worst = diagnosis.Findings[0];
        foreach (var f in diagnosis.Findings)
        {
            if (f.Severity > worst.Severity)
            {
                worst = f;
            }
        }

        string count = diagnosis.Findings.Count == 1 ? "1 problem" : string.Create(c, $"{diagnosis.Findings.Count} problems");
        string label = worst.Severity == Severity.Critical ? "Critical" : "Needs attention";
        return string.Create(c, $"{label} ({count}): {Describe(worst.Symptom)} from {diagnosis.Unit} {worst.OnsetStep}. {worst.Cause} {worst.Action}");
    }

    /// <summary>Counts the entries of a log as what they are: "186 logged steps between 10 and 1,860, one every 10", "12 epochs (0 to 11)".</summary>
    /// <param name="diagnosis">The diagnosis.</param>
    /// <returns>The phrase.</returns>
    public static string Count(LogDiagnosis diagnosis)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);
        var c = CultureInfo.InvariantCulture;
        long n = diagnosis.TrainEntries;
        string validation = diagnosis.ValidationEntries == 0 ? string.Empty
            : string.Create(c, $", {diagnosis.ValidationEntries:N0} with a validation loss");
        if (n == 0)
        {
            return string.Create(c, $"{diagnosis.Steps:N0} {Plural(diagnosis.Unit, diagnosis.Steps)} with a validation loss only ({diagnosis.FirstStep:N0} to {diagnosis.LastStep:N0})");
        }

        long from = diagnosis.FirstTrainStep, to = diagnosis.LastTrainStep;
        if (diagnosis.Unit == "epoch" || diagnosis.Every == 1)
        {
            return string.Create(c, $"{n:N0} {Plural(diagnosis.Unit, n)} ({from:N0} to {to:N0}){validation}");
        }

        string spacing = diagnosis.Every > 1 ? string.Create(c, $", one every {diagnosis.Every:N0}") : ", unevenly spaced";
        return string.Create(c, $"{n:N0} logged {Plural(diagnosis.Unit, n)} between {from:N0} and {to:N0}{spacing}{validation}");
    }

    private static string Plural(string unit, long n) => n == 1 ? unit : unit + "s";
}
