namespace LrDoctor.Core.Logs;

/// <summary>A place where a log goes back to an earlier step: the run was resumed from a checkpoint and logged those steps again.</summary>
/// <param name="Line">The line (or entry) where the earlier step appears.</param>
/// <param name="FromStep">The last step logged before it.</param>
/// <param name="ToStep">The step the log goes back to.</param>
public readonly record struct LogResume(long Line, long FromStep, long ToStep);
