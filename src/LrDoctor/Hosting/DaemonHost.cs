using System.Text.Json;
using System.Text.Json.Nodes;
using LrDoctor.Alerting;
using LrDoctor.Api;
using LrDoctor.Cli;
using LrDoctor.Core;
using LrDoctor.Supervision;
using LrDoctor.Web;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Prometheus;

namespace LrDoctor.Hosting;

/// <summary>Builds and runs the daemon: Generic Host, Kestrel on loopback, systemd and Windows service integration.</summary>
internal static class DaemonHost
{
    /// <summary>The URL the daemon binds when none is configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5088";

    /// <summary>Runs the daemon until it is stopped; returns the process exit code (2 for an invalid configuration).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var cli = CliArgs.Parse("serve", args);
        string? config = cli.String("config");
        string? urls = cli.String("urls");
        cli.RejectUnknown();
        if (cli.Positionals.Count > 0)
        {
            throw new CliException($"serve: unexpected argument '{cli.Positionals[0]}'");
        }

        string configFile = Path.GetFullPath(config ?? "appsettings.json");
        if (Microsoft.Extensions.Hosting.WindowsServices.WindowsServiceHelpers.IsWindowsService())
        {
            // A service starts in System32: relative paths of the configuration resolve beside the configuration file.
            Directory.SetCurrentDirectory(Path.GetDirectoryName(configFile)!);
        }

        if (config is not null && !File.Exists(configFile))
        {
            throw new CliException($"serve: --config {config}: file not found");
        }

        try
        {
            Prometheus.Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressEventCounters = true, SuppressMeters = true }); // their names fail `promtool check metrics`
            await using var app = Build(configFile, urls);
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is ConfigurationException or OptionsValidationException or InvalidDataException
            || (e is InvalidOperationException && e.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase)))
        {
            string message = e is OptionsValidationException v ? string.Join("; ", v.Failures) : e.Message;
            await Console.Error.WriteLineAsync($"lrdoctor: invalid configuration ({configFile}): {message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            return 2;
        }
        catch (IOException e) when (e.Message.Contains("bind", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"lrdoctor: cannot listen: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>Builds the daemon's web application from a configuration file.</summary>
    internal static WebApplication Build(string configFile, string? urls)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        CheckJson(configFile);
        builder.Configuration.AddJsonFile(configFile, optional: true);
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddEnvironmentVariables("ASPNETCORE_");
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Host.UseSystemd();
        builder.Host.UseWindowsService(o => o.ServiceName = "LrDoctor");

        string bind = urls ?? builder.Configuration["Urls"] ?? builder.Configuration["urls"] ?? DefaultUrl;
        if (ListenAddressPolicy.Check(bind, builder.Configuration["LrDoctor:Auth:ApiKey"]) is { } refusal)
        {
            throw new ConfigurationException(refusal);
        }

        builder.WebHost.UseUrls(bind);
        builder.Services.AddProblemDetails();
        builder.Services.AddLrDoctorDaemon(builder.Configuration, ReadJobs(configFile, builder.Configuration));
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<ApiOptions>>((kestrel, api) =>
            kestrel.Limits.MaxRequestBodySize = api.Value.MaxBodyBytes);

        var app = builder.Build();

        // Bind and validate every section now, so a bad key is reported in one line before the host logs anything.
        _ = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<SupervisorOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        _ = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapMetrics("/metrics", app.Services.GetRequiredService<CollectorRegistry>());
        app.MapLrDoctorApi();

        // Extension point: the observability engineer adds one line each here.
        app.MapAlertWebhook();
        app.MapDashboard();
        return app;
    }

    private static void CheckJson(string configFile)
    {
        if (!File.Exists(configFile))
        {
            return;
        }

        try
        {
            using var _ = JsonDocument.Parse(File.ReadAllText(configFile), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}");
        }
    }

    /// <summary>Reads and validates <c>LrDoctor:Jobs</c> from the configuration file (JSON kept as written, so numbers stay numbers).</summary>
    internal static ConfiguredJobs ReadJobs(string configFile, IConfiguration configuration)
    {
        JsonArray? jobs = null;
        if (File.Exists(configFile))
        {
            JsonNode? root;
            try
            {
                root = JsonNode.Parse(File.ReadAllText(configFile), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException e)
            {
                throw new ConfigurationException($"malformed JSON at line {e.LineNumber + 1}");
            }

            var node = root?["LrDoctor"]?["Jobs"];
            jobs = node as JsonArray;
            if (node is not null && jobs is null)
            {
                throw new ConfigurationException("LrDoctor:Jobs: must be an array of job specs");
            }
        }

        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var supervisor = configuration.GetSection(SupervisorOptions.Section).Get<SupervisorOptions>() ?? new SupervisorOptions();
        var validator = DaemonServiceCollectionExtensions.CreateJobValidator(storage, supervisor);
        var result = new List<JobDefinition>();
        for (int i = 0; i < (jobs?.Count ?? 0); i++)
        {
            try
            {
                var job = validator.Validate(jobs![i], $"LrDoctor:Jobs[{i}].");
                if (result.Any(j => j.Name == job.Name))
                {
                    throw new SpecException($"LrDoctor:Jobs[{i}].name", $"'{job.Name}' is used by another job");
                }

                result.Add(job);
            }
            catch (SpecException e)
            {
                throw new ConfigurationException(e.Message);
            }
        }

        return new ConfiguredJobs(result);
    }
}
