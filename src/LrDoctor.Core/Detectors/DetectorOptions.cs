namespace LrDoctor.Core.Detectors;

/// <summary>Thresholds of the symptom detectors (configuration section <c>LrDoctor:Detectors</c>).</summary>
public sealed class DetectorOptions
{
}
