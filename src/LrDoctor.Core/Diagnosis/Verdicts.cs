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
            return string.Create(c, $"Healthy: no learning-rate symptom in {diagnosis.Steps} steps") +
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
        return string.Create(c, $"{label} ({count}): {Describe(worst.Symptom)} from step {worst.OnsetStep}. {worst.Cause} {worst.Action}");
    }
}
