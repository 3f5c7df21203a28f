namespace LrDoctor.Bench;

/// <summary>The benchmark harness: <c>dotnet run -c Release --project bench/LrDoctor.Bench -- NAME [options]</c>.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var benchmarks = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (IBenchmark)Activator.CreateInstance(t, nonPublic: true)!)
            .ToDictionary(b => b.Name, StringComparer.Ordinal);
        if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
        {
            Console.Error.WriteLine("usage: LrDoctor.Bench NAME [options]");
            foreach (var b in benchmarks.Values.OrderBy(b => b.Name, StringComparer.Ordinal))
            {
                Console.Error.WriteLine($"  {b.Name,-24} {b.Description}");
            }

            return 2;
        }

        return benchmark.Run(args[1..]);
    }
}
