namespace LrDoctor.Tests.EndToEnd;

/// <summary>Tests that run real programs (daemon with TorchSharp workers, Prometheus, Alertmanager, Chromium): one at a time on two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "EndToEnd";
}
