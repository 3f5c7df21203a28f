namespace LrDoctor.Core.Interventions;

/// <summary>What the doctor knows of a snapshot when it chooses where to roll back to.</summary>
/// <param name="Step">The optimizer steps done when the snapshot was taken.</param>
/// <param name="Loss">The smoothed training loss at the snapshot; <see langword="null"/> before the first step (the untrained state).</param>
public readonly record struct SnapshotMark(long Step, double? Loss);
