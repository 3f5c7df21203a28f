using System.Globalization;
using LrDoctor.Core.Alerts;
using LrDoctor.Hosting;

namespace LrDoctor.Alerting;

/// <summary>Options of the Alertmanager webhook, bound from <c>LrDoctor:Alerting</c>.</summary>
internal sealed class AlertingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "LrDoctor:Alerting";

    /// <summary>Gets or sets the factor <c>action="cut_lr"</c> multiplies the LR scale by.</summary>
    /// <value>0.5.</value>
    public double CutLrFactor { get; set; } = AlertActionFactors.Default.CutLr;

    /// <summary>Gets or sets the factor <c>action="reduce_on_plateau"</c> multiplies the LR scale by.</summary>
    /// <value>0.1.</value>
    public double ReduceOnPlateauFactor { get; set; } = AlertActionFactors.Default.ReduceOnPlateau;

    /// <summary>Gets the factors as the triage takes them.</summary>
    public AlertActionFactors Factors => new(CutLrFactor, ReduceOnPlateauFactor);

    /// <summary>Reads the options from configuration and validates them.</summary>
    /// <param name="configuration">The daemon's configuration.</param>
    /// <returns>The options.</returns>
    /// <exception cref="ConfigurationException">A value is not a number in (0, 1); the message names the key.</exception>
    public static AlertingOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        return new AlertingOptions
        {
            CutLrFactor = Factor(section, nameof(CutLrFactor), AlertActionFactors.Default.CutLr),
            ReduceOnPlateauFactor = Factor(section, nameof(ReduceOnPlateauFactor), AlertActionFactors.Default.ReduceOnPlateau),
        };
    }

    private static double Factor(IConfigurationSection section, string key, double fallback)
    {
        string? text = section[key];
        if (text is null)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && value < 1
            ? value
            : throw new ConfigurationException($"{Section}:{key}: '{text}' must be a number between 0 and 1 (exclusive): an alert cuts the LR");
    }
}
