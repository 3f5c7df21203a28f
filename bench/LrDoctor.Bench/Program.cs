namespace LrDoctor.Bench;

/// <summary>The benchmark harness: <c>dotnet run -c Release --project bench/LrDoctor.Bench -- NAME</c>.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var benchmarks = new SortedDictionary<string, Func<string[], int>>(StringComparer.Ordinal);
        if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
        {
            Console.Error.WriteLine("usage: LrDoctor.Bench NAME [options]; benchmarks: " + string.Join(", ", benchmarks.Keys));
            return 2;
        }

        return run(args[1..]);
    }
}
