namespace LrDoctor.Core;

/// <summary>An invalid specification (schedule, job, options): names the offending field so the user can fix it.</summary>
/// <param name="field">The JSON path of the field, for example <c>schedule.milestones[1]</c>.</param>
/// <param name="message">What is wrong with it.</param>
public sealed class SpecException(string field, string message) : Exception($"{field}: {message}")
{
    /// <summary>Gets the JSON path of the offending field.</summary>
    public string Field { get; } = field;

    /// <summary>Gets what is wrong with the field, without the field name.</summary>
    public string Problem { get; } = message;
}
