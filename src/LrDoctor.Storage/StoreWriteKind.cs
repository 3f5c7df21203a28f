namespace LrDoctor.Storage;

/// <summary>The kinds of <see cref="StoreWrite"/>.</summary>
public enum StoreWriteKind
{
    /// <summary>A step record.</summary>
    Step,

    /// <summary>A run event.</summary>
    Event,

    /// <summary>A JSON artifact.</summary>
    Artifact,

    /// <summary>A reference to a checkpoint whose preceding steps are in the same batch or earlier.</summary>
    Checkpoint,
}
