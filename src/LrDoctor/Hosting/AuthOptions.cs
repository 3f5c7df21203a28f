using System.ComponentModel.DataAnnotations;

namespace LrDoctor.Hosting;

/// <summary>Access control of the HTTP API (<c>LrDoctor:Auth</c>).</summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "LrDoctor:Auth";

    /// <summary>Gets or sets the key that mutating requests must send as <c>Authorization: Bearer KEY</c>; required to bind a non-loopback address.</summary>
    /// <value>Default none: mutating endpoints are open, and only loopback addresses may be bound.</value>
    [MinLength(16)]
    public string? ApiKey { get; set; }
}
