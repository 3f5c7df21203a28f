namespace LrDoctor.Api;

/// <summary>The RFC 7807 problem responses of the API.</summary>
internal static class Problems
{
    /// <summary>400 naming the offending field.</summary>
    public static IResult BadField(string field, string problem) =>
        Results.Problem(
            title: "Invalid request",
            detail: $"{field}: {problem}",
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["field"] = field });

    /// <summary>404 for an unknown run.</summary>
    public static IResult UnknownRun(string runId) =>
        Results.Problem(title: "Unknown run", detail: $"no run with id '{runId}'", statusCode: StatusCodes.Status404NotFound);

    /// <summary>409 for a run that cannot take the request in its state.</summary>
    public static IResult Conflict(string detail) =>
        Results.Problem(title: "Conflict", detail: detail, statusCode: StatusCodes.Status409Conflict);

    /// <summary>413 for a body over the limit.</summary>
    public static IResult TooLarge(long limit) =>
        Results.Problem(title: "Request body too large", detail: $"the body exceeds {limit} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>401 for a missing or wrong key.</summary>
    public static IResult Unauthorized() =>
        Results.Problem(title: "Unauthorized", detail: "this endpoint needs 'Authorization: Bearer <LrDoctor:Auth:ApiKey>'", statusCode: StatusCodes.Status401Unauthorized);

    /// <summary>503 while shutting down.</summary>
    public static IResult Unavailable(string detail) =>
        Results.Problem(title: "Unavailable", detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable);
}
