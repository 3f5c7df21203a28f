using System.ComponentModel.DataAnnotations;

namespace LrDoctor.Hosting;

/// <summary>How runs are hosted in worker processes (<c>LrDoctor:Supervisor</c>).</summary>
public sealed class SupervisorOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "LrDoctor:Supervisor";

    /// <summary>Gets or sets how many runs train at once; the others wait as <c>queued</c>.</summary>
    /// <value>Default 2.</value>
    [Range(1, 256)]
    public int MaxConcurrentRuns { get; set; } = 2;

    /// <summary>Gets or sets how many times a worker that died is restarted from its checkpoint before the run fails.</summary>
    /// <value>Default 3.</value>
    [Range(0, 1000)]
    public int MaxRestarts { get; set; } = 3;

    /// <summary>Gets or sets the libtorch thread count of each worker.</summary>
    /// <value>Default 1.</value>
    [Range(1, 256)]
    public int WorkerThreads { get; set; } = 1;

    /// <summary>Gets or sets where workers write checkpoints (one folder per run), relative to the working directory.</summary>
    /// <value>Default <c>data/checkpoints</c>.</value>
    [Required]
    public string CheckpointDirectory { get; set; } = "data/checkpoints";

    /// <summary>Gets or sets the folder of job files and their data, besides the data folder the only place a job may read from.</summary>
    /// <value>Default <c>jobs</c>.</value>
    [Required]
    public string JobsDirectory { get; set; } = "jobs";

    /// <summary>Gets or sets how long a shutdown waits for workers to checkpoint, in seconds, before killing them.</summary>
    /// <value>Default 30.</value>
    [Range(1, 3600)]
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    /// <summary>Gets or sets the shortest time between two periodic checkpoints of a run, in seconds (a crashed worker loses at most this much training).</summary>
    /// <value>Default 30; checkpoints are also at most one per <c>checkpointEvery</c> steps of the job.</value>
    [Range(0, 86_400)]
    public double CheckpointIntervalSeconds { get; set; } = 30;

    /// <summary>Gets or sets the pause before a crashed worker is restarted, in milliseconds.</summary>
    /// <value>Default 500.</value>
    [Range(0, 600_000)]
    public int RestartDelayMs { get; set; } = 500;
}
