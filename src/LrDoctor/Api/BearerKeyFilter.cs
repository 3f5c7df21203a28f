using System.Security.Cryptography;
using System.Text;
using LrDoctor.Hosting;
using Microsoft.Extensions.Options;

namespace LrDoctor.Api;

/// <summary>Requires <c>Authorization: Bearer KEY</c> on mutating endpoints when <c>LrDoctor:Auth:ApiKey</c> is set.</summary>
internal sealed class BearerKeyFilter(IOptions<AuthOptions> options) : IEndpointFilter
{
    private readonly byte[]? _key = options.Value.ApiKey is { Length: > 0 } key ? Encoding.UTF8.GetBytes(key) : null;

    /// <inheritdoc />
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (_key is null || IsAuthorized(context.HttpContext.Request.Headers.Authorization.ToString()))
        {
            return next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return ValueTask.FromResult<object?>(Problems.Unauthorized());
    }

    private bool IsAuthorized(string header)
    {
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()), _key);
    }
}
