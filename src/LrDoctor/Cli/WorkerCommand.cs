using System.Runtime.InteropServices;
using LrDoctor.Core;
using LrDoctor.Core.Jobs;
using LrDoctor.Core.Protocol;
using LrDoctor.Core.Runs;
using LrDoctor.Supervision;
using LrDoctor.Torch;

namespace LrDoctor.Cli;

/// <summary>The internal <c>lrdoctor worker</c> command: runs one job for the daemon, speaking JSON Lines on stdin/stdout.</summary>
/// <remarks>
/// The first input line is the <c>start</c> instruction; later lines are commands, or <c>interrupt</c>. The end
/// of the input (the daemon is gone), SIGTERM and SIGINT interrupt the run too: it writes a checkpoint and ends
/// as <c>interrupted</c>. The last output line is always <c>ended</c> unless the process dies.
/// </remarks>
internal static class WorkerCommand
{
    /// <summary>Runs one job, speaking JSON Lines on stdin/stdout; returns 0 when the run ended (whatever its state), 2 on a bad start.</summary>
    public static int Run(CliArgs args, TextReader stdin, TextWriter stdout)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        args.RejectUnknown();

        WorkerInstruction start;
        try
        {
            start = WorkerProtocol.DecodeInstruction(stdin.ReadLine() ?? throw new CliException("worker: no start instruction on stdin"));
        }
        catch (SpecException e)
        {
            throw new CliException($"worker: bad start instruction: {e.Message}");
        }

        if (start.Type != WorkerInstructionType.Start || start.RunId is null || start.Job is not { } jobElement || start.CheckpointDirectory is null)
        {
            throw new CliException("worker: the first line must be a start instruction with runId, job and checkpointDirectory");
        }

        var checkpoints = new WorkerCheckpoints(start.CheckpointDirectory, start.RunId);
        using var cancel = new CancellationTokenSource();
        JobSpec job;
        try
        {
            job = JobSpec.FromJson(jobElement);
        }
        catch (SpecException e)
        {
            new ProtocolSink(stdout, checkpoints, 1, TimeSpan.Zero).Write(WorkerMessage.ForEnded(RunState.Failed, -1, "invalid job: " + e.Message));
            return 0;
        }

        var sink = new ProtocolSink(stdout, checkpoints, Math.Max(1, job.CheckpointEvery), TimeSpan.FromSeconds(start.CheckpointSeconds ?? 30));
        sink.DaemonLost += () => TryCancel(cancel);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Interrupt(c, cancel));
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Interrupt(c, cancel));

        TrainingRun run;
        try
        {
            run = TrainingRun.Create(job, sink, new TrainingRunOptions
            {
                RunId = start.RunId,
                CheckpointDirectory = start.CheckpointDirectory,
                ResumeFromCheckpoint = start.ResumeFrom,
                Threads = start.Threads,
            });
        }
        catch (SpecException e)
        {
            sink.Write(WorkerMessage.ForEnded(RunState.Failed, -1, e.Message));
            return 0;
        }

        using (run)
        {
            sink.Post = run.Post;
            var reader = new Thread(() => ReadInstructions(stdin, run, cancel)) { IsBackground = true, Name = "worker stdin" };
            reader.Start();
            RunSummary summary;
            try
            {
                summary = run.Run(cancel.Token);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                sink.Write(WorkerMessage.ForEnded(RunState.Failed, run.Step - 1, $"{e.GetType().Name}: {e.Message}"));
                return 3;
            }

            // A stop or an interrupt wrote a final checkpoint: report it after the last step.
            if (checkpoints.Collect(summary.Steps) is { } path)
            {
                sink.Write(WorkerMessage.ForCheckpoint(path, summary.Steps));
            }

            sink.Write(WorkerMessage.ForEnded(summary.State, summary.Steps - 1, summary.FailureReason ?? $"{summary.State} after {summary.Steps} steps"));
            return 0;
        }
    }

    private static void ReadInstructions(TextReader stdin, TrainingRun run, CancellationTokenSource cancel)
    {
        try
        {
            string? line;
            while ((line = stdin.ReadLine()) is not null)
            {
                WorkerInstruction instruction;
                try
                {
                    instruction = WorkerProtocol.DecodeInstruction(line);
                }
                catch (SpecException e)
                {
                    Console.Error.WriteLine($"worker: ignored a bad instruction: {e.Message}");
                    continue;
                }

                if (instruction.Type == WorkerInstructionType.Interrupt)
                {
                    TryCancel(cancel);
                }
                else if (instruction.Type == WorkerInstructionType.Command && instruction.Command is { } command)
                {
                    run.Post(command);
                }
            }
        }
        catch (IOException)
        {
            // the daemon closed the pipe
        }

        // End of input: the daemon is gone (killed); checkpoint and end rather than train unobserved.
        TryCancel(cancel);
    }

    private static void Interrupt(PosixSignalContext context, CancellationTokenSource cancel)
    {
        context.Cancel = true;
        TryCancel(cancel);
    }

    private static void TryCancel(CancellationTokenSource cancel)
    {
        try
        {
            cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the run already ended
        }
    }
}
