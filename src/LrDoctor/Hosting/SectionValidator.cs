using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace LrDoctor.Hosting;

/// <summary>Validates an options class with its data annotations and names each failing key by its full configuration path.</summary>
/// <typeparam name="TOptions">The options class.</typeparam>
/// <param name="section">The configuration section, for example <c>LrDoctor:Storage</c>.</param>
internal sealed class SectionValidator<TOptions>(string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(results.Select(r =>
            $"{section}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
    }
}
