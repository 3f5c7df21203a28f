namespace LrDoctor.Storage;

/// <summary>A step range query: inclusive bounds, downsampling and a page size.</summary>
/// <param name="From">The first step (inclusive).</param>
/// <param name="To">The last step (inclusive).</param>
/// <param name="Every">Keep only steps that are multiples of this (1 keeps every step).</param>
/// <param name="Limit">At most this many records; the next page starts after the last one returned.</param>
public sealed record StepQuery(long From = 0, long To = long.MaxValue, int Every = 1, int Limit = int.MaxValue);
