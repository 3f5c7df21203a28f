namespace LrDoctor.Tests.EndToEnd;

/// <summary>What a finished program returned: its exit code and everything it printed.</summary>
internal sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Gets stdout and stderr together, for assertion messages.</summary>
    public string Output => $"exit {ExitCode}\n{Stdout}{Stderr}";
}
