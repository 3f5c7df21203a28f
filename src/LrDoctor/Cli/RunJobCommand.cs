namespace LrDoctor.Cli;

/// <summary>The <c>lrdoctor</c> command implemented by the training-engine issue (placeholder until it lands).</summary>
internal static class RunJobCommand
{
    /// <summary>Runs the command.</summary>
    public static int Run(CliArgs args, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        throw new CliException($"{args.Command}: not available in this build yet");
    }
}
