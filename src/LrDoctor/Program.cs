using LrDoctor.Cli;
using LrDoctor.Hosting;

namespace LrDoctor;

/// <summary>The <c>lrdoctor</c> entry point: the daemon by default, or one of the CLI commands.</summary>
internal static class Program
{
    private const string Usage = """
        usage: lrdoctor [serve] [--config FILE] [--urls URL]      run the daemon
               lrdoctor schedule --spec JSON --base-lr X --steps N [--format csv|json] [--plot FILE.png]
               lrdoctor diagnose FILE [--format text|json] [--plot FILE.png]
               lrdoctor run JOB.json [--out run.csv] [--format text|json]
               lrdoctor find-lr JOB.json [--min X] [--max X] [--steps N] [--mode exp|linear] [--stop-factor X] [--plot FILE.png] [--format text|json] [--apply]
               lrdoctor worker                                   (internal: one run, JSON Lines on stdin/stdout)
        """;

    private static async Task<int> Main(string[] args)
    {
        string command = args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal) ? "serve" : args[0];
        string[] rest = args.Length == 0 || command != args[0] ? args : args[1..];
        try
        {
            return command switch
            {
                "serve" => await DaemonHost.RunAsync(rest).ConfigureAwait(false),
                "schedule" => ScheduleCommand.Run(CliArgs.Parse(command, rest), Console.Out),
                "diagnose" => DiagnoseCommand.Run(CliArgs.Parse(command, rest), Console.Out),
                "run" => RunJobCommand.Run(CliArgs.Parse(command, rest), Console.Out),
                "find-lr" => FindLrCommand.Run(CliArgs.Parse(command, rest, "apply"), Console.Out),
                "worker" => WorkerCommand.Run(CliArgs.Parse(command, rest), Console.In, Console.Out),
                "help" or "-h" => PrintUsage(Console.Out, 0),
                _ => throw new CliException($"unknown command '{command}'; commands: serve, schedule, diagnose, run, find-lr"),
            };
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"lrdoctor: {e.Message}");
            return 2;
        }
    }

    private static int PrintUsage(TextWriter output, int exitCode)
    {
        output.WriteLine(Usage);
        return exitCode;
    }
}
