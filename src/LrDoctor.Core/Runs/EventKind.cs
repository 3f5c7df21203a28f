namespace LrDoctor.Core.Runs;

/// <summary>The kinds of <see cref="RunEvent"/> (also the <c>kind</c> label of <c>lrdoctor_interventions_total</c>); on the wire and in the store as snake_case (<see cref="WireName"/>).</summary>
public enum EventKind
{
    /// <summary>A detector confirmed a symptom.</summary>
    Finding,

    /// <summary>Preflight advice before the first step.</summary>
    Advice,

    /// <summary>Rolled back to the last good snapshot and cut the LR scale.</summary>
    RollbackAndCut,

    /// <summary>Cut the LR scale in place.</summary>
    CutLr,

    /// <summary>Reduce-on-plateau lowered the LR scale.</summary>
    ReduceOnPlateau,

    /// <summary>Raised the LR scale of a run that converges too slowly.</summary>
    RaiseLr,

    /// <summary>The LR was set or scaled on request (HTTP API).</summary>
    SetLr,

    /// <summary>An Alertmanager alert drove an intervention.</summary>
    Alert,

    /// <summary>A run resumed from a checkpoint.</summary>
    Resume,

    /// <summary>A worker process exited unexpectedly.</summary>
    WorkerExit,

    /// <summary>An LR range test finished.</summary>
    LrFinder,

    /// <summary>The run was stopped, failed or completed; the reason says which.</summary>
    RunEnded,
}
