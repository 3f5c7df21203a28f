using LrDoctor.Core.Records;

namespace LrDoctor.Core.Logs;

/// <summary>One layout's reader: yields rows in file order, before rows of one step are merged.</summary>
internal interface ILogRowSource
{
    /// <summary>Gets the layout.</summary>
    LogFormat Format { get; }

    /// <summary>Gets where the steps come from.</summary>
    LogStepSource StepSource => LogStepSource.Logged;

    /// <summary>Gets a note for the report about how the log was read (what was summed, what stands for what), or <see langword="null"/>.</summary>
    string? Note => null;

    /// <summary>Gets the 1-based line of the row last returned (0 when the layout has no lines, as a JSON document).</summary>
    long Line { get; }

    /// <summary>Reads the next row.</summary>
    /// <param name="row">The row.</param>
    /// <returns><see langword="false"/> at the end.</returns>
    bool TryReadRow(out StepRecord row);
}
