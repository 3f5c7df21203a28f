namespace LrDoctor.Api;

/// <summary>The body of <c>POST /api/runs/{id}/lr</c>: a factor on the current LR, or a new value.</summary>
/// <param name="Factor">Multiply the LR by this.</param>
/// <param name="Value">Set the LR to this.</param>
/// <param name="Reason">Why, for the event.</param>
internal sealed record LrRequest(double? Factor = null, double? Value = null, string? Reason = null);
