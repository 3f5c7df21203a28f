using System.Runtime.InteropServices;
using System.Text.Json;
using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.EndToEnd;

/// <summary>
/// deploy/lrdoctor.service under a real systemd: a Debian bookworm container booted with systemd-nspawn, the README's
/// install steps run inside it as written, then <c>systemctl start</c>/<c>stop</c> and the journal.
/// </summary>
/// <remarks>
/// The container has no .NET SDK, so instead of the README's <c>dotnet publish</c> the test binds the daemon's build
/// output read-only at <c>/opt/lrdoctor</c> (the path the README publishes to) and the host's .NET install at
/// <c>/usr/share/dotnet</c>, where the framework-dependent <c>lrdoctor</c> launcher looks for the runtime. Every other
/// step (user, directories, configuration, unit file unchanged from deploy/) is the README's own text.
/// </remarks>
[Collection(EndToEndCollection.Name)]
[Trait(TestTier.Name, TestTier.Full)]
public sealed class SystemdContainerTests
{
    private const string Unit = "lrdoctor";
    private const string DemoJob = "demo-digits-mlp";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ReadmeInstall_InRealSystemd_UnitBecomesActiveServesAndStopsCleanly()
    {
        await InContainerWithReadmeInstallAsync(async container =>
        {
            // Type=notify: systemd reports the unit active only after the daemon's READY=1 reached it.
            var unit = await ShowAsync(container, "ActiveState", "SubState", "Type", "UnitFileState", "MainPID");
            Assert.True(unit["ActiveState"] == "active" && unit["SubState"] == "running", Describe(unit) + await JournalAsync(container));
            Assert.Equal("notify", unit["Type"]);
            Assert.Equal("enabled", unit["UnitFileState"]);
            Assert.Equal("lrdoctor", (await container.ExecAsync("stat", "-c", "%U", "/proc/" + unit["MainPID"])).Stdout.Trim());
            Assert.Equal("ok", await GetAsync(container, "healthz"));

            // The configuration the README installs trains its demo job; a stop interrupts it, a start resumes it.
            string runId = await WaitForAsync(() => DemoRunningAsync(container), id => id is not null, "the demo run to train") ?? "";
            await SystemctlAsync(container, "stop");
            unit = await ShowAsync(container, "ActiveState", "Result", "ExecMainStatus");
            Assert.True(unit["ActiveState"] == "inactive" && unit["Result"] == "success" && unit["ExecMainStatus"] == "0", Describe(unit) + await JournalAsync(container));

            await SystemctlAsync(container, "start");
            Assert.Equal("active", (await ShowAsync(container, "ActiveState"))["ActiveState"]);
            Assert.Equal("ok", await GetAsync(container, "healthz"));
            await WaitForAsync(() => EventKindsAsync(container, runId), kinds => kinds.Contains("resume"), $"run {runId} to resume after systemctl start");
            await SystemctlAsync(container, "stop");
            unit = await ShowAsync(container, "ActiveState", "Result", "ExecMainStatus", "NRestarts");
            Assert.True(unit["ActiveState"] == "inactive" && unit["Result"] == "success" && unit["NRestarts"] == "0", Describe(unit));

            // Nothing at warning level or above, from the daemon or from systemd about the unit.
            var warnings = await container.ExecAsync("journalctl", "--quiet", "--no-pager", "--unit", Unit, "--priority", "warning");
            Assert.True(warnings.ExitCode == 0 && warnings.Stdout.Trim().Length == 0, warnings.Output);
            string journal = await JournalAsync(container);
            Assert.Contains("Now listening on: http://127.0.0.1:5088", journal, StringComparison.Ordinal);
            Assert.Contains("lrdoctor.service: Deactivated successfully.", journal, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Unit_DaemonKilled_SystemdRestartsItAndItServesAgain()
    {
        await InContainerWithReadmeInstallAsync(async container =>
        {
            string killed = (await ShowAsync(container, "MainPID"))["MainPID"];
            var kill = await container.ShellAsync("kill -KILL " + killed);
            Assert.True(kill.ExitCode == 0, kill.Output);

            // Restart=on-failure, RestartSec=5: a new main process, once.
            var unit = await WaitForAsync(
                () => ShowAsync(container, "ActiveState", "MainPID", "NRestarts"),
                u => u["ActiveState"] == "active" && u["NRestarts"] == "1" && u["MainPID"] != killed && u["MainPID"] != "0",
                "systemd to restart the killed daemon");
            Assert.Equal("ok", await GetAsync(container, "healthz"));
            Assert.Contains("lrdoctor.service: Main process exited, code=killed, status=9/KILL", await JournalAsync(container), StringComparison.Ordinal);
            Assert.NotEqual(killed, unit["MainPID"]);
        });
    }

    [Fact]
    public async Task Unit_InvalidConfiguration_FailsOnceWithTheKeyInTheJournal()
    {
        await InContainerWithReadmeInstallAsync(async container =>
        {
            await SystemctlAsync(container, "stop");
            var edit = await container.ShellAsync("""echo '{"LrDoctor":{"Supervisor":{"MaxConcurrentRuns":0}}}' >/etc/lrdoctor/appsettings.json""");
            Assert.True(edit.ExitCode == 0, edit.Output);

            var start = await container.ExecAsync("systemctl", "start", Unit);

            // Exit code 2 is RestartPreventExitStatus: the unit fails instead of restarting every 5 s.
            Assert.NotEqual(0, start.ExitCode);
            var unit = await ShowAsync(container, "ActiveState", "Result", "ExecMainStatus", "NRestarts");
            Assert.True(unit["ActiveState"] == "failed" && unit["Result"] == "exit-code" && unit["ExecMainStatus"] == "2" && unit["NRestarts"] == "0", Describe(unit));
            string journal = await JournalAsync(container);
            Assert.Contains("invalid configuration (/etc/lrdoctor/appsettings.json)", journal, StringComparison.Ordinal);
            Assert.Contains("LrDoctor:Supervisor:MaxConcurrentRuns", journal, StringComparison.Ordinal);
        });
    }

    /// <summary>Boots a container, runs the README's install steps in it, runs <paramref name="body"/>, powers it off and checks nothing is left behind.</summary>
    private static async Task InContainerWithReadmeInstallAsync(Func<NspawnContainer, Task> body)
    {
        string root = await CachedRootAsync();
        string dotnetRoot = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var binds = new[]
        {
            (RepositoryFiles.RootDirectory, "/src/lrdoctor"),
            (AppContext.BaseDirectory.TrimEnd('/'), "/opt/lrdoctor"),
            (dotnetRoot.TrimEnd('/'), "/usr/share/dotnet"),
        };
        var container = await NspawnContainer.BootAsync(root, binds, TimeSpan.FromSeconds(120));
        IReadOnlyList<int> processesLeft;
        try
        {
            var install = await container.ShellAsync("cd /src/lrdoctor\n" + ReadmeInstallSteps());
            Assert.True(install.ExitCode == 0, "the README's install steps failed in the container: " + install.Output + await JournalAsync(container));
            await body(container);
        }
        finally
        {
            await container.DisposeAsync();
            processesLeft = container.ProcessesLeft();
        }

        Assert.True(container.ExitCode == 0, $"systemd-nspawn exited with {container.ExitCode}:\n{container.ConsoleOutput}");
        Assert.Empty(processesLeft);
        Assert.Empty(container.MountsLeft());
    }

    /// <summary>Gets the README's systemd install commands, without the publish (replaced by the bind mount) and without following the journal.</summary>
    private static string ReadmeInstallSteps()
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepositoryFiles.RootDirectory, "README.md"));
        int section = Array.FindIndex(lines, l => l.StartsWith("### Running as a systemd service", StringComparison.Ordinal));
        Assert.True(section >= 0, "README.md has no section '### Running as a systemd service'");
        int open = Array.FindIndex(lines, section, l => l.Trim() == "```bash");
        int close = Array.FindIndex(lines, open + 1, l => l.Trim() == "```");
        Assert.True(open > section && close > open, "the README's systemd section has no ```bash block");
        string[] commands = lines[(open + 1)..close];
        Assert.Contains(commands, l => l.StartsWith("dotnet publish src/LrDoctor ", StringComparison.Ordinal) && l.Contains(" -o /opt/lrdoctor", StringComparison.Ordinal));
        Assert.Contains(commands, l => l.Contains("deploy/lrdoctor.service /etc/systemd/system/", StringComparison.Ordinal));
        return string.Join('\n', commands.Where(l => !l.StartsWith("dotnet publish", StringComparison.Ordinal) && !l.StartsWith("journalctl", StringComparison.Ordinal)));
    }

    /// <summary>Builds the bookworm root once (tests/nspawn/bookworm-root.sh, cached across runs) and returns its path.</summary>
    private static async Task<string> CachedRootAsync()
    {
        string script = Path.Combine(RepositoryFiles.RootDirectory, "tests", "nspawn", "bookworm-root.sh");
        var result = await NspawnContainer.RunAsync("/bin/bash", [script], TimeSpan.FromMinutes(10));
        Assert.True(result.ExitCode == 0, "could not build the container root: " + result.Output);
        return result.Stdout.Trim().Split('\n')[^1];
    }

    private static async Task SystemctlAsync(NspawnContainer container, string verb)
    {
        var result = await container.ExecAsync("systemctl", verb, Unit);
        Assert.True(result.ExitCode == 0, $"systemctl {verb} {Unit}: {result.Output}{await JournalAsync(container)}");
    }

    private static async Task<Dictionary<string, string>> ShowAsync(NspawnContainer container, params string[] properties)
    {
        var result = await container.ExecAsync("systemctl", "show", Unit, "--property=" + string.Join(',', properties));
        Assert.True(result.ExitCode == 0, result.Output);
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
    }

    private static async Task<string> JournalAsync(NspawnContainer container) =>
        (await container.ExecAsync("journalctl", "--no-pager", "--output=cat", "--unit", Unit)).Stdout;

    /// <summary>GETs a path of the daemon with the host's curl inside the container's network namespace.</summary>
    private static async Task<string> GetAsync(NspawnContainer container, string path)
    {
        var result = await container.InNetworkAsync("curl", "--silent", "--show-error", "--fail", "--max-time", "10", "http://127.0.0.1:5088/" + path);
        Assert.True(result.ExitCode == 0, $"GET /{path} in the container: {result.Output}");
        return result.Stdout;
    }

    private static async Task<string?> DemoRunningAsync(NspawnContainer container)
    {
        using var runs = JsonDocument.Parse(await GetAsync(container, "api/runs"));
        return runs.RootElement.EnumerateArray()
            .Where(r => r.GetProperty("name").GetString() == DemoJob && r.GetProperty("state").GetString() == "running" && r.GetProperty("step").GetInt64() > 0)
            .Select(r => r.GetProperty("id").GetString())
            .FirstOrDefault();
    }

    private static async Task<List<string>> EventKindsAsync(NspawnContainer container, string runId)
    {
        using var events = JsonDocument.Parse(await GetAsync(container, $"api/runs/{runId}/events"));
        return events.RootElement.EnumerateArray().Select(e => e.GetProperty("kind").GetString() ?? "").ToList();
    }

    /// <summary>Probes until <paramref name="done"/> holds, failing after a minute with the last value seen.</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            T value = await probe();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out after {Patience.TotalSeconds:0} s waiting for {what}; last seen: {(value is IDictionary<string, string> d ? Describe(d) : value)}");
            await Task.Delay(200);
        }
    }

    private static string Describe(IDictionary<string, string> unit) => string.Join(' ', unit.Select(kv => $"{kv.Key}={kv.Value}")) + "\n";
}
