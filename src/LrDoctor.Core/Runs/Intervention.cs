namespace LrDoctor.Core.Runs;

/// <summary>One change the doctor (or a command) made to a run, as listed in <see cref="RunSummary.Interventions"/>.</summary>
/// <param name="Step">The step at which it applied.</param>
/// <param name="Kind">One of <see cref="EventKind"/> (<c>rollback_and_cut</c>, <c>cut_lr</c>, <c>reduce_on_plateau</c>, <c>raise_lr</c>, <c>set_lr</c>).</param>
/// <param name="OldLr">The headline LR before.</param>
/// <param name="NewLr">The headline LR after.</param>
/// <param name="Reason">Why, in a sentence.</param>
public sealed record Intervention(long Step, EventKind Kind, double OldLr, double NewLr, string Reason);
