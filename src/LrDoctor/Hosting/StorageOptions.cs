using System.ComponentModel.DataAnnotations;

namespace LrDoctor.Hosting;

/// <summary>Where and how the daemon records runs (<c>LrDoctor:Storage</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "LrDoctor:Storage";

    /// <summary>Gets or sets the LiteDB file, relative to the working directory.</summary>
    /// <value>Default <c>data/lrdoctor.db</c>.</value>
    [Required]
    public string Path { get; set; } = "data/lrdoctor.db";

    /// <summary>Gets or sets the longest a record waits before its batch is committed, in milliseconds.</summary>
    /// <value>Default 200.</value>
    [Range(1, 60_000)]
    public int FlushIntervalMs { get; set; } = 200;

    /// <summary>Gets or sets how many queued records start a commit (a backed-up queue is committed up to <see cref="QueueCapacity"/> at once).</summary>
    /// <value>Default 1000.</value>
    [Range(1, 1_000_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>Gets or sets the most records queued; beyond that the workers wait (back-pressure).</summary>
    /// <value>Default 65,536.</value>
    [Range(16, 10_000_000)]
    public int QueueCapacity { get; set; } = 65_536;

    /// <summary>Gets or sets how many days a finished run is kept (0 keeps runs forever).</summary>
    /// <value>Default 0.</value>
    [Range(0, 36_500)]
    public int RetentionDays { get; set; }

    /// <summary>Gets or sets how many finished runs are kept at most, the oldest deleted first (0 for no limit).</summary>
    /// <value>Default 0.</value>
    [Range(0, 10_000_000)]
    public int MaxFinishedRuns { get; set; }
}
