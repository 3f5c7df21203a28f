namespace LrDoctor.Cli;

/// <summary>The internal <c>lrdoctor worker</c> command implemented by the daemon issue (placeholder until it lands).</summary>
internal static class WorkerCommand
{
    /// <summary>Runs one job, speaking JSON Lines on stdin/stdout.</summary>
    public static int Run(CliArgs args, TextReader stdin, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        throw new CliException("worker: not available in this build yet");
    }
}
