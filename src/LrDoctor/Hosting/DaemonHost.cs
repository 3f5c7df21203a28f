using LrDoctor.Cli;

namespace LrDoctor.Hosting;

/// <summary>Builds and runs the daemon: Generic Host, Kestrel on loopback, systemd and Windows service integration.</summary>
internal static class DaemonHost
{
    /// <summary>The URL the daemon binds when none is configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5088";

    /// <summary>Runs the daemon until it is stopped; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var cli = CliArgs.Parse("serve", args);
        string? config = cli.String("config");
        string? urls = cli.String("urls");
        cli.RejectUnknown();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddJsonFile(config ?? Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: config is null);
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddEnvironmentVariables("ASPNETCORE_");
        builder.Host.UseSystemd();
        builder.Host.UseWindowsService();
        builder.WebHost.UseUrls(urls ?? builder.Configuration["Urls"] ?? builder.Configuration["urls"] ?? DefaultUrl);

        await using var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
