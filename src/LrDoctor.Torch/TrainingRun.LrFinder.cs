using LrDoctor.Core.LrFinder;

namespace LrDoctor.Torch;

/// <summary>The <c>"findLr": true</c> hook of a training run: the LR range test before the first step (owned by the LR finder).</summary>
public sealed partial class TrainingRun
{
    /// <summary>Runs the range test on this run's own model, optimizer and data; the doctor records it and trains with its recommendation (<see cref="Core.Doctor.RunDoctor.OnLrRangeTest"/>).</summary>
    /// <remarks>
    /// A job that asks for a range test wants its answer, so the recommended LR replaces <c>optimizer.lr</c> as the base of the
    /// schedule (through the intervention scale, so warmup or decay keep their shape); the event says so with the old and new
    /// LR. The LR where the loss started to rise becomes the doctor's ceiling for any later raise. When the curve shows no clear
    /// descent the job's LR is kept and the event says why. The test restores the setup exactly, so step 0 starts as it would have.
    /// </remarks>
    private void FindLrBeforeTraining(CancellationToken ct)
    {
        LrFinderResult result;
        try
        {
            result = LrRangeTest.Run(_setup, new LrFinderOptions(), progress: null, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return; // the setup is restored; the training loop sees the cancellation and interrupts the run as usual
        }

        _doctor.OnLrRangeTest(result, _setup.Job.ScaledLr);
    }
}
