namespace LrDoctor.Bench;

/// <summary>One benchmark of the harness; every non-abstract implementation is found by reflection.</summary>
internal interface IBenchmark
{
    /// <summary>Gets the name used on the command line.</summary>
    string Name { get; }

    /// <summary>Gets a one-line description.</summary>
    string Description { get; }

    /// <summary>Runs the benchmark, printing its figures (markdown-friendly) to stdout; returns the exit code.</summary>
    int Run(string[] args);
}
