using LrDoctor.Core.Runs;

namespace LrDoctor.Core.Alerts;

/// <summary>The values of the <c>action</c> label of LrDoctor's alert rules, and the run command each one asks for.</summary>
public static class AlertActions
{
    /// <summary>Multiply the run's LR scale by <see cref="AlertActionFactors.CutLr"/>.</summary>
    public const string CutLr = "cut_lr";

    /// <summary>Roll the run back to its last good snapshot and cut the LR.</summary>
    public const string RollbackAndCut = "rollback_and_cut";

    /// <summary>Multiply the run's LR scale by <see cref="AlertActionFactors.ReduceOnPlateau"/>.</summary>
    public const string ReduceOnPlateau = "reduce_on_plateau";

    /// <summary>Notify only: the webhook records the alert and changes nothing.</summary>
    public const string None = "none";

    /// <summary>Gets the actions the webhook applies.</summary>
    public static IReadOnlyList<string> Applied { get; } = [CutLr, RollbackAndCut, ReduceOnPlateau];

    /// <summary>Maps an action label to the command it asks for.</summary>
    /// <param name="action">The <c>action</c> label.</param>
    /// <param name="factors">The LR factors of the scaling actions.</param>
    /// <param name="reason">The reason the command carries into the run's event.</param>
    /// <returns>The command, or <see langword="null"/> for <see cref="None"/> and unknown actions.</returns>
    public static RunCommand? ToCommand(string action, AlertActionFactors factors, string reason) => action switch
    {
        CutLr => new RunCommand(RunCommandKind.ScaleLr, factors.CutLr, reason),
        ReduceOnPlateau => new RunCommand(RunCommandKind.ScaleLr, factors.ReduceOnPlateau, reason),
        RollbackAndCut => new RunCommand(RunCommandKind.RollbackAndCut, null, reason),
        _ => null,
    };
}
