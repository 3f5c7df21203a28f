namespace LrDoctor.Tests.Infrastructure;

/// <summary>Tests that start the real daemon and its libtorch workers run one class at a time (2 cores).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DaemonCollection
{
    public const string Name = "daemon processes";
}
