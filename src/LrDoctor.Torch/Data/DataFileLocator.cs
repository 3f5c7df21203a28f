using LrDoctor.Core;

namespace LrDoctor.Torch.Data;

/// <summary>Finds a data file named in a job: as given, beside the job file, under the working directory or the program, or in one of their parents.</summary>
/// <remarks>Searching parents lets a job say <c>data/digits.csv</c> from any folder of a clone (tests run from <c>bin/…</c>).</remarks>
internal static class DataFileLocator
{
    /// <summary>Resolves <paramref name="path"/> to an existing file.</summary>
    /// <param name="path">The path from the job.</param>
    /// <param name="jobDirectory">The job file's folder, when the job came from a file.</param>
    /// <param name="field">The spec field, for the error.</param>
    /// <returns>The full path of the file.</returns>
    /// <exception cref="SpecException">No such file; the message names the path and where it was looked for.</exception>
    public static string Resolve(string path, string? jobDirectory, string field = "data.path")
    {
        if (Path.IsPathRooted(path))
        {
            return File.Exists(path) ? path : throw new SpecException(field, $"file not found: '{path}'");
        }

        var roots = new List<string>();
        if (jobDirectory is not null)
        {
            roots.Add(Path.GetFullPath(jobDirectory));
        }

        roots.Add(Directory.GetCurrentDirectory());
        roots.Add(AppContext.BaseDirectory);
        foreach (string root in roots)
        {
            for (var dir = new DirectoryInfo(root); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, path);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new SpecException(field, $"file not found: '{path}' (looked beside the job file, in the working directory, the program's folder and their parents)");
    }
}
