namespace LrDoctor.Storage.Tests;

/// <summary>A fresh directory for a real LiteDB file, deleted afterwards.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = Path.Combine(Path.GetTempPath(), "lrdoctor-store-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string DbPath => Path.Combine(Directory, "data", "lrdoctor.db");

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still open on a failing test; the temp folder is cleaned by the OS
        }
    }
}
