using System.Collections.Concurrent;
using System.Diagnostics;
using LrDoctor.Tests.Infrastructure;

namespace LrDoctor.Tests.EndToEnd;

/// <summary>A real systemd booted as PID 1 of a <c>systemd-nspawn</c> container on a debootstrap'd Debian root, driven with <c>nsenter</c>.</summary>
/// <remarks>
/// The root stays read-only: <c>--volatile=overlay</c> keeps every change in a tmpfs that ends with the container. The
/// container has its own network namespace (<c>--private-network</c>: only its loopback) and is not registered with a
/// host systemd (<c>--register=no --keep-unit</c>: CI has none, so <c>machinectl</c> and <c>systemd-run --machine</c>
/// cannot reach it; <c>nsenter</c> into its PID 1's namespaces can). Never boot systemd over the host's own root.
/// </remarks>
internal sealed class NspawnContainer : IAsyncDisposable
{
    private const string Nspawn = "/usr/bin/systemd-nspawn";
    private const string Nsenter = "/usr/bin/nsenter";
    private const string SearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    // systemd-nspawn runs under this script, which holds the test's pipe on its stdin: at EOF (the test disposed the
    // container, or the test process died) it sends systemd-nspawn SIGTERM, which asks the container's systemd for an
    // orderly poweroff. So a crashed test run leaves no container behind either. (fd 3: a background job's own stdin
    // is /dev/null.)
    private const string Launcher = """
        exec 3<&0
        /usr/bin/systemd-nspawn "$@" </dev/null 3<&- &
        nspawn=$!
        { read -r _ <&3 || true; kill -TERM "$nspawn" 2>/dev/null; } &
        wait "$nspawn"
        status=$?
        kill "$!" 2>/dev/null
        exit "$status"
        """;

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    private readonly Process _launcher;
    private readonly ConcurrentQueue<string> _console = new();

    private NspawnContainer(Process launcher, string root)
    {
        _launcher = launcher;
        Root = root;
    }

    /// <summary>Gets the host PID of systemd-nspawn.</summary>
    public int NspawnPid { get; private set; }

    /// <summary>Gets the host PID of the container's PID 1 (its systemd).</summary>
    public int InitPid { get; private set; }

    /// <summary>Gets the root directory the container boots from (never written).</summary>
    public string Root { get; }

    /// <summary>Gets what systemd-nspawn and the container's console printed, for assertion messages.</summary>
    public string ConsoleOutput => string.Join('\n', _console);

    /// <summary>Gets the exit code of systemd-nspawn once the container has been disposed (0 after a clean poweroff).</summary>
    public int? ExitCode { get; private set; }

    private string PidNamespace { get; set; } = "";

    /// <summary>Boots <paramref name="root"/> with the given read-only bind mounts and waits until its systemd finished starting up.</summary>
    public static async Task<NspawnContainer> BootAsync(string root, IEnumerable<(string HostPath, string ContainerPath)> readOnlyBinds, TimeSpan timeout)
    {
        foreach (string tool in new[] { Nspawn, Nsenter, "/usr/bin/curl" })
        {
            if (!File.Exists(tool))
            {
                throw new InvalidOperationException($"{tool} is missing: .ci/run installs it (bash .ci/install-deps systemd-container debootstrap curl util-linux)");
            }
        }

        var psi = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.Environment.Clear();
        psi.Environment["PATH"] = SearchPath;
        psi.Environment["TERM"] = "dumb"; // the container's systemd prints its boot status without colours
        foreach (string argument in new[]
        {
            "-c", Launcher, "nspawn-launcher", "--boot", "--keep-unit", "--register=no", "--private-network", "--volatile=overlay", "--console=read-only",
            "--machine=lrdoctor-" + Guid.NewGuid().ToString("N")[..8], "--directory=" + root,
        })
        {
            psi.ArgumentList.Add(argument);
        }

        foreach (var (hostPath, containerPath) in readOnlyBinds)
        {
            psi.ArgumentList.Add($"--bind-ro={hostPath}:{containerPath}");
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start bash for systemd-nspawn");
        var container = new NspawnContainer(process, root);
        process.OutputDataReceived += (_, e) => container.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => container.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var cts = new CancellationTokenSource(timeout);
            await container.WaitForInitAsync(cts.Token);
            await container.WaitForStartupAsync(cts.Token);
            return container;
        }
        catch (Exception e)
        {
            // Whatever went wrong, the container must not outlive the test.
            await container.DisposeAsync();
            throw new InvalidOperationException($"the container did not boot (within {timeout.TotalSeconds:0} s: {e.Message}); systemd-nspawn printed:\n{container.ConsoleOutput}", e);
        }
    }

    /// <summary>Runs a host program to its end with a clean environment; kills it after <paramref name="timeout"/>.</summary>
    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.Environment.Clear();
        psi.Environment["PATH"] = SearchPath;
        foreach (string argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', psi.ArgumentList)} did not finish within {timeout.TotalSeconds:0} s");
        }

        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a program inside the container (all its namespaces, a clean environment) and returns its exit code and output.</summary>
    public Task<CommandResult> ExecAsync(params string[] command) =>
        RunAsync(Nsenter, ["--target", InitPid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--all", "--", "/usr/bin/env", "-i", "PATH=" + SearchPath, "LANG=C.UTF-8", "SYSTEMD_COLORS=0", "SYSTEMD_PAGER=", .. command], CommandTimeout);

    /// <summary>Runs a bash script inside the container with <c>set -euo pipefail</c>.</summary>
    public Task<CommandResult> ShellAsync(string script) => ExecAsync("/bin/bash", "-c", "set -euo pipefail\n" + script);

    /// <summary>Runs a host program in the container's network namespace only (so it sees the container's loopback).</summary>
    public Task<CommandResult> InNetworkAsync(params string[] command) =>
        RunAsync(Nsenter, ["--target", InitPid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--net", "--", .. command], CommandTimeout);

    /// <summary>Gets the host PIDs of the processes still alive in the container's PID namespace.</summary>
    public IReadOnlyList<int> ProcessesLeft()
    {
        var left = new List<int>();
        if (PidNamespace.Length == 0)
        {
            return left;
        }

        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(dir), out int pid) && new FileInfo(Path.Combine(dir, "ns", "pid")).LinkTarget == PidNamespace)
                {
                    left.Add(pid);
                }
            }
            catch (IOException)
            {
                // exited meanwhile
            }
            catch (UnauthorizedAccessException)
            {
                // not ours to read
            }
        }

        return left;
    }

    /// <summary>Gets the host's mount table lines that mention the container's root.</summary>
    public IReadOnlyList<string> MountsLeft() =>
        File.ReadAllLines("/proc/self/mountinfo").Where(line => line.Contains(Root, StringComparison.Ordinal)).ToList();

    /// <summary>Powers the container off (closing the launcher's stdin: SIGTERM to systemd-nspawn, an orderly shutdown); kills it if that hangs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_launcher.HasExited)
        {
            _launcher.StandardInput.Close();
            if (!await ExitedAsync(TimeSpan.FromSeconds(90)))
            {
                // PID 1 dying ends every process of its PID namespace.
                foreach (int pid in new[] { InitPid, NspawnPid }.Where(pid => pid > 0))
                {
                    await SignalAsync(pid, "KILL");
                }

                _launcher.Kill(entireProcessTree: true);
                await ExitedAsync(TimeSpan.FromSeconds(30));
            }
        }

        if (_launcher.HasExited)
        {
            _launcher.WaitForExit(); // drains the output
            ExitCode = _launcher.ExitCode;
        }

        _launcher.Dispose();
    }

    private static async Task SignalAsync(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("/bin/kill", $"-{signal} {pid}") { RedirectStandardError = true, UseShellExecute = false })!;
        await kill.WaitForExitAsync();
    }

    private async Task WaitForInitAsync(CancellationToken cancellationToken)
    {
        // launcher -> systemd-nspawn -> the container's PID 1, once it has exec'd the root's systemd.
        while (true)
        {
            if (_launcher.HasExited)
            {
                throw new InvalidOperationException($"systemd-nspawn exited with code {_launcher.ExitCode} before the container's systemd started");
            }

            NspawnPid = NspawnPid > 0 ? NspawnPid : ChildNamed(_launcher.Id, "systemd-nspawn");
            int init = NspawnPid > 0 ? ChildNamed(NspawnPid, "systemd") : 0;
            if (init > 0)
            {
                PidNamespace = new FileInfo($"/proc/{init}/ns/pid").LinkTarget ?? "";
                InitPid = init;
                return;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private static int ChildNamed(int parent, string comm)
    {
        foreach (int child in ProcessTree.Children(parent))
        {
            try
            {
                if (File.ReadAllText($"/proc/{child}/comm").Trim() == comm)
                {
                    return child;
                }
            }
            catch (IOException)
            {
                // exited meanwhile
            }
        }

        return 0;
    }

    private async Task WaitForStartupAsync(CancellationToken cancellationToken)
    {
        // --wait blocks until start-up is over; before systemd listens on its private socket it fails at once.
        while (true)
        {
            if (_launcher.HasExited)
            {
                throw new InvalidOperationException($"systemd-nspawn exited with code {_launcher.ExitCode} during boot");
            }

            var state = await ExecAsync("systemctl", "is-system-running", "--wait");
            if (state.Stdout.Trim() is "running" or "degraded")
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task<bool> ExitedAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _launcher.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _console.Enqueue(line);
        }
    }
}
