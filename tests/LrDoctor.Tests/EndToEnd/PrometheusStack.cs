using System.Globalization;
using System.Text.Json;
using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.EndToEnd;

/// <summary>
/// Debian's Prometheus and Alertmanager on free loopback ports with temporary directories: Prometheus scrapes the daemon
/// every second with the shipped alert rules, Alertmanager runs the shipped config pointed at the daemon's webhook.
/// </summary>
internal sealed class PrometheusStack : IDisposable
{
    public const string PrometheusPath = "/usr/bin/prometheus";
    public const string AlertmanagerPath = "/usr/bin/prometheus-alertmanager";
    private const string ShippedWebhookUrl = "http://127.0.0.1:5088/api/alerts";

    private readonly string _dir;
    private readonly ExternalProgram _alertmanager;
    private readonly ExternalProgram _prometheus;

    private PrometheusStack(string dir, ExternalProgram alertmanager, ExternalProgram prometheus, Uri prometheusUrl, Uri alertmanagerUrl)
    {
        _dir = dir;
        _alertmanager = alertmanager;
        _prometheus = prometheus;
        PrometheusUrl = prometheusUrl;
        AlertmanagerUrl = alertmanagerUrl;
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri PrometheusUrl { get; }

    public Uri AlertmanagerUrl { get; }

    public HttpClient Http { get; }

    /// <summary>What both programs printed, for assertion messages.</summary>
    public string Output => $"--- prometheus (pid {_prometheus.Pid}) ---\n{_prometheus.Output}\n--- alertmanager (pid {_alertmanager.Pid}) ---\n{_alertmanager.Output}";

    public static async Task<PrometheusStack> StartAsync(Uri daemon, TimeSpan timeout)
    {
        string dir = Path.Combine(Path.GetTempPath(), "lrdoctor-prom-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(dir, "am-data"));
        Directory.CreateDirectory(Path.Combine(dir, "tsdb"));
        int amPort = DaemonProcess.FreePort();
        int promPort = DaemonProcess.FreePort();
        string daemonHost = daemon.Authority;

        // The shipped Alertmanager config, pointed at this daemon instead of the default port.
        string shipped = File.ReadAllText(RepositoryFiles.AlertmanagerConfig);
        if (!shipped.Contains(ShippedWebhookUrl, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{RepositoryFiles.AlertmanagerConfig} no longer routes to {ShippedWebhookUrl}");
        }

        string amConfig = Path.Combine(dir, "alertmanager.yml");
        File.WriteAllText(amConfig, shipped.Replace(ShippedWebhookUrl, new Uri(daemon, "api/alerts").ToString(), StringComparison.Ordinal));
        string promConfig = Path.Combine(dir, "prometheus.yml");
        File.WriteAllText(promConfig, string.Create(CultureInfo.InvariantCulture, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {RepositoryFiles.AlertRules}
            alerting:
              alertmanagers:
                - static_configs:
                    - targets: ['127.0.0.1:{amPort}']
            scrape_configs:
              - job_name: lrdoctor
                static_configs:
                  - targets: ['{daemonHost}']
            """));

        var alertmanager = ExternalProgram.Start(AlertmanagerPath,
            [$"--config.file={amConfig}", $"--storage.path={Path.Combine(dir, "am-data")}", $"--web.listen-address=127.0.0.1:{amPort}", "--cluster.listen-address="], dir);
        var prometheus = ExternalProgram.Start(PrometheusPath,
            [$"--config.file={promConfig}", $"--storage.tsdb.path={Path.Combine(dir, "tsdb")}", $"--web.listen-address=127.0.0.1:{promPort}"], dir);
        var stack = new PrometheusStack(dir, alertmanager, prometheus, new Uri($"http://127.0.0.1:{promPort}/"), new Uri($"http://127.0.0.1:{amPort}/"));
        try
        {
            await stack.WaitUntilAsync(async () => await stack.IsReadyAsync(stack.AlertmanagerUrl) && await stack.IsReadyAsync(stack.PrometheusUrl), timeout, "Prometheus and Alertmanager ready");
        }
        catch
        {
            stack.Dispose();
            throw;
        }

        return stack;
    }

    /// <summary>Waits until Prometheus has scraped the daemon (about 6 s after start) and discovered Alertmanager.</summary>
    public Task WaitForScrapeAndAlertmanagerAsync(TimeSpan timeout) => WaitUntilAsync(async () =>
    {
        using var targets = await GetJsonAsync(new Uri(PrometheusUrl, "api/v1/targets"));
        bool up = targets.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Any(t => t.GetProperty("health").GetString() == "up");
        using var managers = await GetJsonAsync(new Uri(PrometheusUrl, "api/v1/alertmanagers"));
        bool discovered = managers.RootElement.GetProperty("data").GetProperty("activeAlertmanagers").GetArrayLength() > 0;
        return up && discovered;
    }, timeout, "Prometheus scraping the daemon and sending to Alertmanager");

    /// <summary>Runs an instant query; returns Prometheus's answer (status, data.result) or its error.</summary>
    public async Task<JsonDocument> QueryAsync(string expr)
    {
        var uri = new Uri(PrometheusUrl, "api/v1/query?query=" + Uri.EscapeDataString(expr));
        using var response = await Http.GetAsync(uri);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonDocument> GetJsonAsync(Uri uri)
    {
        using var response = await Http.GetAsync(uri);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_prometheus.HasExited || _alertmanager.HasExited)
            {
                throw new InvalidOperationException($"a program exited while waiting for {what}:\n{Output}");
            }

            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // slow answer; try again
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no {what} after {timeout}:\n{Output}");
            }

            await Task.Delay(250);
        }
    }

    public void Dispose()
    {
        Http.Dispose();
        _prometheus.Dispose();
        _alertmanager.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by a process that is going away
        }
    }

    private async Task<bool> IsReadyAsync(Uri baseUrl)
    {
        using var response = await Http.GetAsync(new Uri(baseUrl, "-/ready"));
        return response.IsSuccessStatusCode;
    }
}
