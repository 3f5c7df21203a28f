using System.Diagnostics;
using LrDoctor.Core.Jobs;
using LrDoctor.Core.LrFinder;
using LrDoctor.Torch.Training;
using static TorchSharp.torch;

namespace LrDoctor.Torch;

/// <summary>Runs the LR range test (Smith 2017) on a job's model, optimizer and data, then puts all of it back exactly as it was.</summary>
/// <remarks>
/// The test trains on the job's own batches with the job's own optimizer (parameter groups keep their LR multipliers; the
/// ramp drives the headline LR) and gradient clipping, because a suggestion is only valid for the training it was measured
/// on. Afterwards parameters, optimizer state, group LRs, the batch position and libtorch's random generator are restored
/// bit for bit, so training after a range test is the training that would have happened without it.
/// </remarks>
public static class LrRangeTest
{
    /// <summary>Builds the job's setup and runs the range test on it.</summary>
    /// <param name="job">The job.</param>
    /// <param name="options">The test's settings.</param>
    /// <param name="jobDirectory">The job file's folder, for relative data paths.</param>
    /// <param name="progress">Called with the number of batches done after each batch.</param>
    /// <param name="cancellationToken">Stops the test between batches.</param>
    /// <returns>The analysed result.</returns>
    /// <exception cref="Core.SpecException">The job or the options cannot be honoured.</exception>
    public static LrFinderResult Run(JobSpec job, LrFinderOptions options, string? jobDirectory = null, Action<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var setup = TrainingSetup.Create(job, jobDirectory);
        return Run(setup, options, progress, cancellationToken);
    }

    /// <summary>Runs the range test on an existing setup and restores the setup exactly afterwards.</summary>
    /// <param name="setup">The model, optimizer and data; left as found.</param>
    /// <param name="options">The test's settings.</param>
    /// <param name="progress">Called with the number of batches done after each batch.</param>
    /// <param name="cancellationToken">Stops the test between batches (the setup is still restored).</param>
    /// <returns>The analysed result.</returns>
    internal static LrFinderResult Run(TrainingSetup setup, LrFinderOptions options, Action<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(options);
        var recorder = new LrRangeRecorder(options);
        var clock = Stopwatch.StartNew();
        double[] groupLrs = setup.GroupLearningRates();
        bool wasTraining = setup.Model.training;
        using var snapshot = new Snapshot(setup);
        snapshot.Capture(setup, step: 0, smoothedLoss: null);
        using var rng = get_rng_state();
        try
        {
            setup.Model.train();
            for (int step = 0; step < options.Steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                double lr = options.LrAt(step);
                if (!TrainOneBatch(setup, recorder, lr))
                {
                    break;
                }

                progress?.Invoke(step + 1);
            }
        }
        finally
        {
            snapshot.Restore(setup);
            int i = 0;
            foreach (var group in setup.Optimizer.ParamGroups)
            {
                group.LearningRate = groupLrs[i++];
            }

            set_rng_state(rng);
            setup.Model.train(wasTraining);
        }

        return recorder.Finish(clock.Elapsed.TotalSeconds);
    }

    private static bool TrainOneBatch(TrainingSetup setup, LrRangeRecorder recorder, double lr)
    {
        using var scope = NewDisposeScope();
        setup.SetLearningRate(lr);
        setup.Optimizer.zero_grad();
        var loss = setup.BatchLoss(setup.Batches.Next());
        if (!recorder.Record(lr, loss.item<float>()))
        {
            return false;
        }

        loss.backward();
        if (setup.Job.GradClip is double clip)
        {
            nn.utils.clip_grad_norm_(setup.Parameters, clip);
        }

        setup.Optimizer.step();
        return true;
    }
}
