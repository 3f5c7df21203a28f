using System.ComponentModel.DataAnnotations;

namespace LrDoctor.Hosting;

/// <summary>The Prometheus exporter (<c>LrDoctor:Metrics</c>).</summary>
public sealed class MetricsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "LrDoctor:Metrics";

    /// <summary>Gets or sets how long the series of a finished run stay exported, in seconds, so that the last scrape sees its end.</summary>
    /// <value>Default 300.</value>
    [Range(0, 7 * 24 * 3600)]
    public int RetireAfterSeconds { get; set; } = 300;
}
