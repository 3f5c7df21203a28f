using System.Runtime.InteropServices;
using LiteDB;
using LrDoctor.Core.Records;

namespace LrDoctor.Storage;

/// <summary>The steps of one run whose indices share a chunk number (step / <see cref="Size"/>), stored column by column in one document.</summary>
/// <remarks>
/// One document per step caps LiteDB at about 95,000 inserts per second; a document per chunk of
/// <see cref="Size"/> steps, each column a binary array, writes several times faster and reads a range
/// with a handful of index seeks. A missing value is a NaN with a payload no arithmetic produces, so a
/// real NaN (a diverged loss) survives the round trip.
/// </remarks>
internal sealed class StepChunk
{
    /// <summary>Steps per chunk (a power of two).</summary>
    public const int Size = 1024;

    /// <summary>The highest chunk number an id can carry (12 digits).</summary>
    public const long LastNumber = 999_999_999_999;

    private const int Columns = 8;
    private static readonly long MissingBits = unchecked((long)0x7FF4_0000_1D0C_0001UL);
    private static readonly string[] ColumnNames = ["l", "v", "r", "g", "a", "m", "t", "e"];

    private readonly List<long> _steps = new(Size);
    private readonly List<double>[] _columns = CreateColumns();
    private readonly List<double[]?> _groupLrs = new(Size);

    private StepChunk(string runId, long number)
    {
        RunId = runId;
        Number = number;
    }

    /// <summary>Gets the run id.</summary>
    public string RunId { get; }

    /// <summary>Gets the chunk number.</summary>
    public long Number { get; }

    /// <summary>Gets how many steps the chunk holds.</summary>
    public int Count => _steps.Count;

    /// <summary>Gets the last step held, or -1.</summary>
    public long LastStep => _steps.Count == 0 ? -1 : _steps[^1];

    /// <summary>Gets the document id of a chunk: ordered by run, then chunk number.</summary>
    public static string Id(string runId, long number) => string.Create(null, stackalloc char[64], $"{runId}/{number:D12}");

    /// <summary>Gets an id after the chunk's full document and all its segments, and before the next chunk's id.</summary>
    /// <remarks>LiteDB orders ids with the collation the file was created with: ordinal ignoring case under the
    /// invariant globalization this project builds with, but a culture order in a process without it, where
    /// punctuation such as <c>~</c> sorts before digits (a <c>run/chunk/~</c> bound would miss the chunk's
    /// segments). A letter sorts after digits in both orders.</remarks>
    public static string EndId(string runId, long number) => Id(runId, number) + "/z";

    /// <summary>Gets the document id of a segment of a chunk (steps appended by one flush), ordered after the chunk's full document.</summary>
    public static string SegmentId(string runId, long number, long firstStep) =>
        string.Create(null, stackalloc char[80], $"{runId}/{number:D12}/{firstStep:D12}");

    /// <summary>Gets how many of the steps are already in the database (the rest go into the next segment).</summary>
    public int Persisted { get; set; }

    /// <summary>Gets the step at an index.</summary>
    public long StepAt(int index) => _steps[index];

    /// <summary>Appends the steps of another part of the same chunk (a segment read back), in order.</summary>
    public void AppendFrom(StepChunk other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int i = 0; i < other.Count; i++)
        {
            if (other._steps[i] <= LastStep)
            {
                continue;
            }

            _steps.Add(other._steps[i]);
            for (int c = 0; c < Columns; c++)
            {
                _columns[c].Add(other._columns[c][i]);
            }

            _groupLrs.Add(other._groupLrs[i]);
        }
    }

    /// <summary>Gets the chunk number of a step.</summary>
    public static long NumberOf(long step) => step < 0 ? 0 : step / Size;

    /// <summary>Creates an empty chunk.</summary>
    public static StepChunk Empty(string runId, long number) => new(runId, number);

    /// <summary>Appends a step that is after every step held.</summary>
    public void Append(in StepRecord r)
    {
        _steps.Add(r.Step);
        Put(0, r.TrainLoss);
        Put(1, r.ValLoss);
        Put(2, r.Lr);
        Put(3, r.GradNorm);
        Put(4, r.ValAccuracy);
        Put(5, r.Momentum);
        Put(6, r.StepSeconds);
        Put(7, r.Epoch);
        _groupLrs.Add(r.GroupLrs);
    }

    /// <summary>Drops every step at or after <paramref name="step"/> (a run that went back: resume or rollback).</summary>
    public void TruncateFrom(long step)
    {
        int keep = _steps.BinarySearch(step);
        keep = keep < 0 ? ~keep : keep;
        int drop = _steps.Count - keep;
        if (drop <= 0)
        {
            return;
        }

        _steps.RemoveRange(keep, drop);
        foreach (var column in _columns)
        {
            column.RemoveRange(keep, drop);
        }

        _groupLrs.RemoveRange(keep, drop);
    }

    /// <summary>Adds the steps of a chunk document in [<paramref name="from"/>, <paramref name="to"/>] that are multiples of <paramref name="every"/> to <paramref name="output"/>, up to <paramref name="limit"/> records in all.</summary>
    /// <remarks>Reads the document's column arrays in place: a range query decodes only the records it returns.</remarks>
    public static void Read(BsonDocument doc, long from, long to, int every, List<StepRecord> output, int limit)
    {
        ArgumentNullException.ThrowIfNull(doc);
        ArgumentNullException.ThrowIfNull(output);
        var steps = MemoryMarshal.Cast<byte, long>(doc["s"].AsBinary);
        var columns = new byte[]?[Columns];
        for (int c = 0; c < Columns; c++)
        {
            var value = doc[ColumnNames[c]];
            columns[c] = value.IsBinary ? value.AsBinary : null;
        }

        int groups = doc["gn"].IsInt32 ? doc["gn"].AsInt32 : 0;
        byte[]? groupLrs = groups > 0 ? doc["gl"].AsBinary : null;
        int i = steps.BinarySearch(from);
        for (i = i < 0 ? ~i : i; i < steps.Length && output.Count < limit; i++)
        {
            long s = steps[i];
            if (s > to)
            {
                return;
            }

            if (every > 1 && s % every != 0)
            {
                continue;
            }

            output.Add(new StepRecord(s, At(columns[0], i), At(columns[1], i), At(columns[2], i), At(columns[3], i))
            {
                ValAccuracy = At(columns[4], i),
                Momentum = At(columns[5], i),
                StepSeconds = At(columns[6], i),
                Epoch = At(columns[7], i),
                GroupLrs = groupLrs is null ? null : GroupRow(MemoryMarshal.Cast<byte, double>(groupLrs), groups, i),
            });
        }
    }

    /// <summary>Encodes the whole chunk as its full document.</summary>
    public BsonDocument ToDocument() => ToDocument(Id(RunId, Number), 0);

    /// <summary>Encodes the steps from index <paramref name="from"/> on as a document with the given id.</summary>
    public BsonDocument ToDocument(string id, int from)
    {
        var doc = new BsonDocument
        {
            ["_id"] = id,
            ["run"] = RunId,
            ["c"] = Number,
            ["n"] = _steps.Count - from,
            ["s"] = MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(_steps)[from..]).ToArray(),
        };
        for (int c = 0; c < Columns; c++)
        {
            var span = CollectionsMarshal.AsSpan(_columns[c])[from..];
            if (MemoryMarshal.Cast<double, long>(span).ContainsAnyExcept(MissingBits))
            {
                doc[ColumnNames[c]] = MemoryMarshal.AsBytes(span).ToArray();
            }
        }

        int groups = 0;
        for (int i = from; i < _groupLrs.Count; i++)
        {
            groups = Math.Max(groups, _groupLrs[i]?.Length ?? 0);
        }

        if (groups > 0)
        {
            var flat = new double[(_groupLrs.Count - from) * groups];
            flat.AsSpan().Fill(BitConverter.Int64BitsToDouble(MissingBits));
            for (int i = from; i < _groupLrs.Count; i++)
            {
                _groupLrs[i]?.CopyTo(flat, (i - from) * groups);
            }

            doc["gn"] = groups;
            doc["gl"] = MemoryMarshal.AsBytes(flat.AsSpan()).ToArray();
        }

        return doc;
    }

    /// <summary>Decodes a chunk document.</summary>
    public static StepChunk FromDocument(BsonDocument doc)
    {
        var chunk = new StepChunk(doc["run"].AsString, doc["c"].AsInt64);
        int n = doc["n"].AsInt32;
        chunk._steps.AddRange(MemoryMarshal.Cast<byte, long>(doc["s"].AsBinary));
        for (int c = 0; c < Columns; c++)
        {
            var value = doc[ColumnNames[c]];
            if (value.IsBinary)
            {
                chunk._columns[c].AddRange(MemoryMarshal.Cast<byte, double>(value.AsBinary));
            }
            else
            {
                for (int i = 0; i < n; i++)
                {
                    chunk._columns[c].Add(BitConverter.Int64BitsToDouble(MissingBits));
                }
            }
        }

        int groups = doc["gn"].IsInt32 ? doc["gn"].AsInt32 : 0;
        var flat = groups > 0 ? MemoryMarshal.Cast<byte, double>(doc["gl"].AsBinary) : default;
        for (int i = 0; i < n; i++)
        {
            chunk._groupLrs.Add(groups > 0 ? GroupRow(flat, groups, i) : null);
        }

        return chunk;
    }

    /// <summary>Gets the group learning rates of row <paramref name="index"/>, without the missing values that pad it.</summary>
    private static double[]? GroupRow(ReadOnlySpan<double> flat, int groups, int index)
    {
        var row = flat.Slice(index * groups, groups);
        int len = row.Length;
        while (len > 0 && BitConverter.DoubleToInt64Bits(row[len - 1]) == MissingBits)
        {
            len--;
        }

        return len > 0 ? row[..len].ToArray() : null;
    }

    private static double? At(byte[]? column, int index)
    {
        if (column is null)
        {
            return null;
        }

        double v = MemoryMarshal.Cast<byte, double>(column)[index];
        return BitConverter.DoubleToInt64Bits(v) == MissingBits ? null : v;
    }

    private static List<double>[] CreateColumns()
    {
        var columns = new List<double>[Columns];
        for (int c = 0; c < Columns; c++)
        {
            columns[c] = new List<double>(Size);
        }

        return columns;
    }

    private void Put(int column, double? value) =>
        _columns[column].Add(value ?? BitConverter.Int64BitsToDouble(MissingBits));
}
