using System.Collections.Concurrent;
using System.Diagnostics;

namespace LrDoctor.Tests.EndToEnd;

/// <summary>A real program (Prometheus, Alertmanager) started in the foreground for a test and stopped by its PID.</summary>
internal sealed class ExternalProgram : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ExternalProgram(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output => string.Join('\n', _lines);

    public static ExternalProgram Start(string path, IEnumerable<string> arguments, string workingDirectory)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: .ci/run installs it (bash .ci/install-deps prometheus prometheus-alertmanager)");
        }

        var psi = new ProcessStartInfo(path)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {path}");
        var program = new ExternalProgram(process, Path.GetFileName(path));
        process.OutputDataReceived += (_, e) => program.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => program.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return program;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}
