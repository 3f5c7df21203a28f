using System.Globalization;
using LrDoctor.Core.Runs;
using Spectre.Console;

namespace LrDoctor.Cli;

/// <summary>The text report at the end of <c>lrdoctor run</c>: outcome, advice, findings and interventions.</summary>
internal static class RunReport
{
    /// <summary>Writes the report.</summary>
    public static void Write(IAnsiConsole console, RunSummary summary, IReadOnlyList<RunEvent> advice)
    {
        string outcome = summary.State == RunState.Completed ? "[green]completed[/]" : $"[red]{summary.State}[/]";
        console.MarkupLine($"{Markup.Escape(summary.Run)}: {outcome} after {summary.Steps} steps in {summary.Seconds.ToString("F1", CultureInfo.InvariantCulture)} s");
        if (summary.FailureReason is { } reason)
        {
            console.MarkupLine($"  reason: {Markup.Escape(reason)}");
        }

        console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"  final train loss {F(summary.FinalTrainLoss)}, val loss {F(summary.FinalValLoss)}, val accuracy {F(summary.FinalValAccuracy)}"));
        foreach (var a in advice)
        {
            console.MarkupLine($"  [yellow]advice[/]: {Markup.Escape(a.Reason)}");
        }

        if (summary.Findings.Count == 0)
        {
            console.MarkupLine("  findings: none (healthy)");
        }
        else
        {
            var table = new Table().AddColumns("symptom", "onset", "severity", "action");
            foreach (var f in summary.Findings)
            {
                table.AddRow(Markup.Escape(f.Symptom), f.OnsetStep.ToString(CultureInfo.InvariantCulture), f.Severity.ToString().ToLowerInvariant(), Markup.Escape(f.Action));
            }

            console.Write(table);
        }

        if (summary.Interventions.Count > 0)
        {
            var table = new Table().AddColumns("step", "kind", "old lr", "new lr", "reason");
            foreach (var i in summary.Interventions)
            {
                table.AddRow(i.Step.ToString(CultureInfo.InvariantCulture), WireName.Of(i.Kind), F(i.OldLr), F(i.NewLr), Markup.Escape(i.Reason));
            }

            console.Write(table);
        }
    }

    private static string F(double? v) => v is { } x ? x.ToString("G4", CultureInfo.InvariantCulture) : "-";
}
