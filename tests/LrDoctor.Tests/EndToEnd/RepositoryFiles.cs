namespace LrDoctor.Tests.EndToEnd;

/// <summary>Files of the repository the end-to-end tests ship to real programs (alert rules, Alertmanager config, dashboard).</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LrDoctor.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"LrDoctor.sln not found above {AppContext.BaseDirectory}");
    });

    public static string RootDirectory => Root.Value;

    public static string AlertRules => Under(["dashboards", "prometheus", "alerts.yml"]);

    public static string AlertmanagerConfig => Under(["dashboards", "alertmanager", "alertmanager.yml"]);

    public static string GrafanaDashboard => Under(["dashboards", "grafana", "lrdoctor.json"]);

    private static string Under(string[] parts) => Path.Combine([Root.Value, .. parts]);
}
