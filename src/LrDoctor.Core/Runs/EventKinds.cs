namespace LrDoctor.Core.Runs;

/// <summary>The stable event kinds of <see cref="RunEvent"/> (also the <c>kind</c> label of <c>lrdoctor_interventions_total</c>).</summary>
public static class EventKinds
{
    /// <summary>A detector confirmed a symptom.</summary>
    public const string Finding = "finding";

    /// <summary>Preflight advice before the first step.</summary>
    public const string Advice = "advice";

    /// <summary>Rolled back to the last good snapshot and cut the LR scale.</summary>
    public const string RollbackAndCut = "rollback_and_cut";

    /// <summary>Cut the LR scale in place.</summary>
    public const string CutLr = "cut_lr";

    /// <summary>Reduce-on-plateau lowered the LR scale.</summary>
    public const string ReduceOnPlateau = "reduce_on_plateau";

    /// <summary>Raised the LR scale of a run that converges too slowly.</summary>
    public const string RaiseLr = "raise_lr";

    /// <summary>The LR was set or scaled on request (HTTP API).</summary>
    public const string SetLr = "set_lr";

    /// <summary>An Alertmanager alert drove an intervention.</summary>
    public const string Alert = "alert";

    /// <summary>A run resumed from a checkpoint.</summary>
    public const string Resume = "resume";

    /// <summary>A worker process exited unexpectedly.</summary>
    public const string WorkerExit = "worker_exit";

    /// <summary>An LR range test finished.</summary>
    public const string LrFinder = "lr_finder";

    /// <summary>The run was stopped, failed or completed; the reason says which.</summary>
    public const string RunEnded = "run_ended";
}
