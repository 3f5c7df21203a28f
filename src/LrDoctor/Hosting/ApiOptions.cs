using System.ComponentModel.DataAnnotations;

namespace LrDoctor.Hosting;

/// <summary>Limits of the HTTP API (<c>LrDoctor:Api</c>).</summary>
public sealed class ApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "LrDoctor:Api";

    /// <summary>Gets or sets the largest request body accepted, in bytes; a larger one gets 413.</summary>
    /// <value>Default 1 MiB.</value>
    [Range(1024, 1L << 30)]
    public long MaxBodyBytes { get; set; } = 1 << 20;

    /// <summary>Gets or sets the most steps one request returns (use <c>from</c> or <c>every</c> for more).</summary>
    /// <value>Default 100,000.</value>
    [Range(1, 10_000_000)]
    public int MaxSteps { get; set; } = 100_000;

    /// <summary>Gets or sets the most runs or events one page holds.</summary>
    /// <value>Default 1000.</value>
    [Range(1, 1_000_000)]
    public int MaxPageSize { get; set; } = 1000;
}
