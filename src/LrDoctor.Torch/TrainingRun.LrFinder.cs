using System.Globalization;
using System.Text.Json;
using LrDoctor.Core.Json;
using LrDoctor.Core.LrFinder;
using LrDoctor.Core.Runs;

namespace LrDoctor.Torch;

/// <summary>The <c>"findLr": true</c> hook of a training run: the LR range test before the first step (owned by the LR finder).</summary>
public sealed partial class TrainingRun
{
    /// <summary>Runs the range test on this run's own model, optimizer and data, records it, and trains with its recommendation.</summary>
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

        _sink.OnArtifact(EventKinds.LrFinder, JsonSerializer.Serialize(result, LrDoctorJson.Options));
        if (result.DivergenceLr is double ceiling)
        {
            _policy.OnUnstableLr(ceiling);
        }

        var data = new Dictionary<string, double>(StringComparer.Ordinal) { ["batches"] = result.Points.Count, ["seconds"] = result.Seconds };
        if (result.DivergenceLr is double divergence)
        {
            data["divergenceLr"] = divergence;
        }

        double jobLr = _setup.Job.ScaledLr;
        string rises = result.DivergenceLr is double d ? $"; the loss rises from {Format(d)}, now the ceiling for LR raises" : "; the loss never rose over the range";
        if (result.Recommended is double recommended)
        {
            _scale = recommended / jobLr;
            data["recommended"] = recommended;
            Emit(
                EventKinds.LrFinder,
                $"LR range test ({result.Points.Count} batches, {result.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s) recommends {Format(recommended)} ({result.RecommendedRule}); training uses it instead of optimizer.lr {Format(jobLr)}{rises}",
                oldLr: jobLr,
                newLr: recommended,
                data: data);
        }
        else
        {
            Emit(EventKinds.LrFinder, $"LR range test ({result.Points.Count} batches) found no clear descent of the loss; training keeps optimizer.lr {Format(jobLr)}{rises}", data: data);
        }
    }
}
