using System.Globalization;
using System.Text.Json;
using LrDoctor.Core;
using LrDoctor.Core.Json;
using LrDoctor.Core.Runs;
using LrDoctor.Hosting;
using LrDoctor.Storage;
using LrDoctor.Supervision;
using Microsoft.Extensions.Options;

namespace LrDoctor.Api;

/// <summary>The HTTP API of DESIGN.md: runs, steps, events, artifacts, commands.</summary>
internal static class LrDoctorApi
{
    /// <summary>Maps every endpoint of the API under <c>/api</c>.</summary>
    /// <param name="app">The endpoint builder.</param>
    /// <returns>The builder.</returns>
    public static IEndpointRouteBuilder MapLrDoctorApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/runs");
        api.MapGet("/", ListRuns);
        api.MapGet("/{id}", GetRun);
        api.MapGet("/{id}/steps", GetSteps);
        api.MapGet("/{id}/events", GetEvents);
        api.MapGet("/{id}/artifacts/{kind}", GetArtifact);

        var mutating = app.MapGroup("/api/runs").AddEndpointFilter<BearerKeyFilter>();
        mutating.MapPost("/", CreateRun);
        mutating.MapPost("/{id}/stop", StopRun);
        mutating.MapPost("/{id}/lr", ChangeLr);
        return app;
    }

    private static IResult Json(object value, int status = StatusCodes.Status200OK) =>
        Results.Json(value, LrDoctorJson.Options, statusCode: status);

    private static IResult ListRuns(HttpContext http, IRunStore store, IOptions<ApiOptions> options)
    {
        var query = http.Request.Query;
        if (!TryInt(query, "offset", 0, 0, int.MaxValue, out int offset, out var bad)
            || !TryInt(query, "limit", Math.Min(100, options.Value.MaxPageSize), 1, options.Value.MaxPageSize, out int limit, out bad))
        {
            return bad!;
        }

        string? stateName = query["state"];
        RunState? state = null;
        if (stateName is not null)
        {
            if (!WireName.TryParse(stateName, out RunState parsed))
            {
                return Problems.BadField("state", $"must be one of {string.Join(", ", WireName.All<RunState>())}");
            }

            state = parsed;
        }

        int total = store.CountRuns(state);
        var runs = store.ListRuns(offset, limit, state).Select(RunResource.From).ToList();
        http.Response.Headers["X-Total-Count"] = total.ToString(CultureInfo.InvariantCulture);
        if (offset + runs.Count < total)
        {
            string next = $"/api/runs?offset={offset + runs.Count}&limit={limit}" + (stateName is null ? string.Empty : "&state=" + stateName);
            http.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        }

        return Json(runs);
    }

    private static IResult GetRun(string id, IRunStore store) =>
        store.GetRun(id) is { } run ? Json(RunResource.From(run)) : Problems.UnknownRun(id);

    private static IResult GetSteps(string id, HttpContext http, IRunStore store, IOptions<ApiOptions> options)
    {
        if (store.GetRun(id) is null)
        {
            return Problems.UnknownRun(id);
        }

        var query = http.Request.Query;
        int max = options.Value.MaxSteps;
        if (!TryLong(query, "from", 0, out long from, out var bad)
            || !TryLong(query, "to", long.MaxValue, out long to, out bad)
            || !TryInt(query, "every", 1, 1, int.MaxValue, out int every, out bad)
            || !TryInt(query, "limit", max, 1, max, out int limit, out bad))
        {
            return bad!;
        }

        var steps = store.GetSteps(id, new StepQuery(from, to, every, limit));
        if (steps.Count == limit && steps[^1].Step < to)
        {
            string next = $"/api/runs/{id}/steps?from={steps[^1].Step + 1}&every={every}&limit={limit}" + (to == long.MaxValue ? string.Empty : $"&to={to}");
            http.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        }

        return Json(steps);
    }

    private static IResult GetEvents(string id, HttpContext http, IRunStore store, IOptions<ApiOptions> options)
    {
        if (store.GetRun(id) is null)
        {
            return Problems.UnknownRun(id);
        }

        var query = http.Request.Query;
        if (!TryInt(query, "offset", 0, 0, int.MaxValue, out int offset, out var bad)
            || !TryInt(query, "limit", options.Value.MaxPageSize, 1, options.Value.MaxPageSize, out int limit, out bad))
        {
            return bad!;
        }

        var events = store.GetEvents(id, offset, limit).Select(EventResource.From).ToList();
        if (events.Count == limit)
        {
            http.Response.Headers.Link = $"</api/runs/{id}/events?offset={offset + limit}&limit={limit}>; rel=\"next\"";
        }

        return Json(events);
    }

    private static IResult GetArtifact(string id, string kind, IRunStore store)
    {
        if (store.GetRun(id) is null)
        {
            return Problems.UnknownRun(id);
        }

        return store.GetArtifact(id, kind) is { } json
            ? Results.Text(json, "application/json")
            : Results.Problem(title: "No such artifact", detail: $"run '{id}' has no '{kind}' artifact", statusCode: StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> CreateRun(HttpContext http, RunSupervisor supervisor, JobValidator validator, IOptions<ApiOptions> options)
    {
        var (body, problem) = await ReadBodyAsync(http, options.Value.MaxBodyBytes).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        JobDefinition job;
        try
        {
            job = validator.Validate(body!);
        }
        catch (SpecException e)
        {
            return Problems.BadField(e.Field, e.Problem);
        }

        StoredRun run;
        try
        {
            run = supervisor.Submit(job);
        }
        catch (InvalidOperationException e)
        {
            return Problems.Unavailable(e.Message);
        }

        http.Response.Headers.Location = $"/api/runs/{run.Id}";
        return Json(RunResource.From(run), StatusCodes.Status201Created);
    }

    private static async Task<IResult> StopRun(string id, HttpContext http, IRunStore store, IRunControl control, IOptions<ApiOptions> options)
    {
        var (_, problem) = await ReadBodyAsync(http, options.Value.MaxBodyBytes, optional: true).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var run = store.GetRun(id);
        if (run is null)
        {
            return Problems.UnknownRun(id);
        }

        if (!control.TryPost(id, new RunCommand(RunCommandKind.Stop, Reason: "stopped through the HTTP API")))
        {
            return Problems.Conflict($"run '{id}' is {run.State}, not live");
        }

        http.Response.Headers.Location = $"/api/runs/{id}";
        return Json(RunResource.From(store.GetRun(id) ?? run), StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> ChangeLr(string id, HttpContext http, IRunStore store, IRunControl control, IOptions<ApiOptions> options)
    {
        var (body, problem) = await ReadBodyAsync(http, options.Value.MaxBodyBytes).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        LrRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<LrRequest>(body!, LrDoctorJson.Options);
        }
        catch (JsonException e)
        {
            return Problems.BadField(string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.'), "malformed JSON or a value of the wrong type");
        }

        if (request is null || (request.Factor is null) == (request.Value is null))
        {
            return Problems.BadField("factor", "give exactly one of 'factor' or 'value'");
        }

        if (request.Factor is { } f && (!double.IsFinite(f) || f <= 0))
        {
            return Problems.BadField("factor", "must be a finite number > 0");
        }

        if (request.Value is { } v && (!double.IsFinite(v) || v <= 0))
        {
            return Problems.BadField("value", "must be a finite number > 0");
        }

        var run = store.GetRun(id);
        if (run is null)
        {
            return Problems.UnknownRun(id);
        }

        var command = request.Factor is { } factor
            ? new RunCommand(RunCommandKind.ScaleLr, factor, request.Reason ?? "LR scaled through the HTTP API")
            : new RunCommand(RunCommandKind.SetLr, request.Value, request.Reason ?? "LR set through the HTTP API");
        return control.TryPost(id, command)
            ? Json(RunResource.From(run), StatusCodes.Status202Accepted)
            : Problems.Conflict($"run '{id}' is {run.State}, not live");
    }

    private static async Task<(string? Body, IResult? Problem)> ReadBodyAsync(HttpContext http, long limit, bool optional = false)
    {
        if (http.Request.ContentLength > limit)
        {
            return (null, Problems.TooLarge(limit));
        }

        try
        {
            using var reader = new StreamReader(http.Request.Body);
            var buffer = new char[8192];
            var text = new System.Text.StringBuilder();
            int read;
            while ((read = await reader.ReadAsync(buffer, http.RequestAborted).ConfigureAwait(false)) > 0)
            {
                text.Append(buffer, 0, read);
                if (text.Length > limit)
                {
                    return (null, Problems.TooLarge(limit));
                }
            }

            if (text.Length == 0 && !optional)
            {
                return (null, Problems.BadField("body", "a JSON body is required"));
            }

            return (text.ToString(), null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.TooLarge(limit));
        }
    }

    private static bool TryInt(IQueryCollection query, string name, int fallback, int min, int max, out int value, out IResult? problem)
    {
        value = fallback;
        problem = null;
        string? s = query[name];
        if (s is null)
        {
            return true;
        }

        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) || value < min || value > max)
        {
            problem = Problems.BadField(name, $"must be an integer in [{min}, {max}], got '{s}'");
            return false;
        }

        return true;
    }

    private static bool TryLong(IQueryCollection query, string name, long fallback, out long value, out IResult? problem)
    {
        value = fallback;
        problem = null;
        string? s = query[name];
        if (s is null)
        {
            return true;
        }

        if (!long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) || value < 0)
        {
            problem = Problems.BadField(name, $"must be a step number >= 0, got '{s}'");
            return false;
        }

        return true;
    }
}
