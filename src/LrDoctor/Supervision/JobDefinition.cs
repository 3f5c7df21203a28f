namespace LrDoctor.Supervision;

/// <summary>A validated job: its name, its spec as JSON (without daemon-only fields) and whether it starts with the daemon.</summary>
/// <param name="Name">The job name.</param>
/// <param name="JobJson">The job spec.</param>
/// <param name="AutoStart">Whether the daemon starts it at boot.</param>
internal sealed record JobDefinition(string Name, string JobJson, bool AutoStart);
