using System.Text.Json;
using System.Text.RegularExpressions;

namespace LrDoctor.Tests.EndToEnd;

/// <summary>The PromQL expressions of the shipped Grafana dashboard (panel targets and annotations), with Grafana's variables substituted.</summary>
internal static class GrafanaQueries
{
    /// <summary>Every expression of the dashboard, named by where it sits, for one run.</summary>
    public static IReadOnlyList<(string Where, string Expr)> For(string runId)
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.GrafanaDashboard));
        var queries = new List<(string, string)>();
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                queries.Add(($"panel '{panel.GetProperty("title").GetString()}' {target.GetProperty("refId").GetString()}", Substitute(target.GetProperty("expr").GetString()!, runId)));
            }
        }

        foreach (var annotation in dashboard.RootElement.GetProperty("annotations").GetProperty("list").EnumerateArray())
        {
            if (annotation.TryGetProperty("expr", out var expr))
            {
                queries.Add(($"annotation '{annotation.GetProperty("name").GetString()}'", Substitute(expr.GetString()!, runId)));
            }
        }

        return queries;
    }

    /// <summary>Gets the metric of the <c>label_values(metric, run)</c> query of the dashboard's <c>run</c> variable.</summary>
    public static string RunVariableMetric()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.GrafanaDashboard));
        var run = dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "run");
        var match = Regex.Match(run.GetProperty("query").GetString()!, @"^label_values\((\w+),\s*run\)$");
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException("the run variable is not label_values(METRIC, run)");
    }

    // Grafana's own values for a 1 s scrape interval; $run as Grafana writes a single selected value into a regex matcher.
    private static string Substitute(string expr, string runId) => expr
        .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
        .Replace("$__interval", "15s", StringComparison.Ordinal)
        .Replace("$run", Regex.Escape(runId), StringComparison.Ordinal);
}
