using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LrDoctor.Tests.Infrastructure;

/// <summary>The real <c>lrdoctor</c> daemon started as a child process on a free loopback port, for end-to-end tests.</summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DaemonProcess(Process process, Uri baseAddress, string workDir)
    {
        _process = process;
        BaseAddress = baseAddress;
        WorkDir = workDir;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Gets the daemon's base URL.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets the daemon's working directory (its data folder lives below it).</summary>
    public string WorkDir { get; }

    /// <summary>Gets a client bound to the daemon.</summary>
    public HttpClient Client { get; }

    /// <summary>Gets the process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Gets what the daemon printed so far (stdout and stderr), for assertion messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Gets a free TCP port on 127.0.0.1.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Gets the path of <c>lrdoctor.dll</c> next to the test assembly.</summary>
    public static string DaemonDll => Path.Combine(AppContext.BaseDirectory, "lrdoctor.dll");

    /// <summary>Creates a fresh temporary working directory.</summary>
    public static string NewWorkDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "lrdoctor-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Starts the daemon with <paramref name="appSettingsJson"/> as its appsettings.json and waits until /healthz answers.</summary>
    public static async Task<DaemonProcess> StartAsync(
        string appSettingsJson = "{}",
        string? workDir = null,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null,
        int? port = null)
    {
        workDir ??= NewWorkDir();
        File.WriteAllText(Path.Combine(workDir, "appsettings.json"), appSettingsJson);
        port ??= FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(DaemonDll);
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        psi.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                psi.Environment[key] = value;
            }
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the daemon");
        var daemon = new DaemonProcess(process, baseAddress, workDir);
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await daemon.WaitHealthyAsync(timeout ?? TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return daemon;
    }

    /// <summary>Gets whether the daemon process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Runs the daemon with <paramref name="appSettingsJson"/> and extra arguments until it exits by itself (a refused configuration); returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(string appSettingsJson, TimeSpan timeout, params string[] arguments)
    {
        string workDir = NewWorkDir();
        File.WriteAllText(Path.Combine(workDir, "appsettings.json"), appSettingsJson);
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(DaemonDll);
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the daemon");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the daemon did not exit within {timeout}: {await stdout.ConfigureAwait(false)}");
        }

        return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Polls <paramref name="condition"/> every 100 ms until it holds; throws with the daemon's output when the timeout passes first.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout} waiting for {what}:\n{Output}");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    /// <summary>Polls /healthz until it answers 200 or the timeout passes.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"daemon exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await Client.GetAsync(new Uri("healthz", UriKind.Relative)).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new TimeoutException($"daemon not healthy after {timeout}:\n{Output}");
    }

    /// <summary>Sends a signal to the daemon (15 = SIGTERM, 9 = SIGKILL) and waits for it to exit; returns its exit code.</summary>
    public async Task<int> SignalAndWaitAsync(int signal, TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", $"-{signal} {_process.Id}"))
        {
            await kill.WaitForExitAsync().ConfigureAwait(false);
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
