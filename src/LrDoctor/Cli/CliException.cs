namespace LrDoctor.Cli;

/// <summary>A usage or input error of a CLI command: printed as one line on stderr, exit code 2, never a stack trace.</summary>
/// <param name="message">The one-line message.</param>
internal sealed class CliException(string message) : Exception(message);
