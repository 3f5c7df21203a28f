using System.Diagnostics;
using System.Text;

namespace LrDoctor.Tests.EndToEnd;

/// <summary>A real program (Prometheus, Alertmanager) started in the foreground for a test and stopped by its PID.</summary>
internal sealed class ExternalProgram : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ExternalProgram(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

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
        process.OutputDataReceived += (_, e) => program.Append(e.Data);
        process.ErrorDataReceived += (_, e) => program.Append(e.Data);
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
