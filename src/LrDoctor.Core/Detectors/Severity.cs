namespace LrDoctor.Core.Detectors;

/// <summary>How urgent a finding is; serialised in lower case (<c>warning</c>, <c>critical</c>).</summary>
public enum Severity
{
    /// <summary>The run goes on but is not healthy.</summary>
    Warning,

    /// <summary>The run is lost unless something changes now.</summary>
    Critical,
}
