using LiteDB;
using LrDoctor.Core.Alerts;
using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;

namespace LrDoctor.Storage;

/// <summary>The <see cref="IRunStore"/> over one LiteDB file: runs, step chunks, events and artifacts.</summary>
/// <remarks>
/// The writer keeps the open (last) chunk of each run in memory so that appending a batch rewrites one
/// document instead of reading it back first; a step at or before a run's last stored step means the run
/// went back (a resume from a checkpoint, a rollback), and the steps from there on are replaced.
/// </remarks>
internal sealed partial class LiteDbRunStore : IRunStore, IAlertClaimLog, IDisposable
{
    private const int OpenChunkCacheLimit = 512;
    private const int MaxPresized = 1 << 20;

    private readonly LiteDatabase _db;
    private readonly ILiteCollection<BsonDocument> _runs;
    private readonly ILiteCollection<BsonDocument> _chunks;
    private readonly ILiteCollection<BsonDocument> _events;
    private readonly ILiteCollection<BsonDocument> _artifacts;
    private readonly Dictionary<string, StepChunk> _openChunks = new(StringComparer.Ordinal);
    private readonly object _writeLock = new();

    /// <summary>Opens (or creates) the database file, creating its folder.</summary>
    /// <param name="path">The database file.</param>
    public LiteDbRunStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        string? dir = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        _db = new LiteDatabase(new ConnectionString { Filename = Path, Connection = ConnectionType.Direct });
        _runs = _db.GetCollection("runs");
        _chunks = _db.GetCollection("step_chunks");
        _events = _db.GetCollection("events", BsonAutoId.Int64);
        _artifacts = _db.GetCollection("artifacts");
        _runs.EnsureIndex("state");
        _runs.EnsureIndex("created");
        _events.EnsureIndex("run");
    }

    /// <summary>Gets the full path of the database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public void SaveRun(StoredRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        lock (_writeLock)
        {
            _runs.Upsert(ToDocument(run));
        }
    }

    /// <inheritdoc />
    public StoredRun? UpdateRun(string runId, Func<StoredRun, StoredRun> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_writeLock)
        {
            var current = GetRun(runId);
            if (current is null)
            {
                return null;
            }

            var next = change(current);
            _runs.Upsert(ToDocument(next));
            return next;
        }
    }

    /// <inheritdoc />
    public StoredRun? GetRun(string runId)
    {
        var doc = _runs.FindById(runId);
        return doc is null ? null : FromDocument(doc);
    }

    /// <inheritdoc />
    public IReadOnlyList<StoredRun> ListRuns(int offset, int limit, RunState? state = null)
    {
        var query = _runs.Query();
        if (state is not null)
        {
            query = query.Where(Query.EQ("state", WireName.Of(state.Value)));
        }

        return query.OrderByDescending("created").Skip(Math.Max(0, offset)).Limit(Math.Max(0, limit))
            .ToEnumerable().Select(FromDocument).ToList();
    }

    /// <inheritdoc />
    public int CountRuns(RunState? state = null) =>
        state is null ? _runs.Count() : _runs.Count(Query.EQ("state", WireName.Of(state.Value)));

    /// <inheritdoc />
    public IReadOnlyList<StepRecord> GetSteps(string runId, StepQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        long from = Math.Max(0, query.From);
        if (query.To < from || query.Limit <= 0)
        {
            return [];
        }

        int every = Math.Max(1, query.Every);

        // Sized from the run's last step: a list grown by doubling allocates (and zeroes) about twice the
        // records, on the large-object heap for thousands of them, and the GC pauses were the query's tail.
        long last = Math.Min(query.To, GetRun(runId)?.Step ?? from);
        var result = new List<StepRecord>((int)Math.Clamp((last - from) / every + 1, 0, Math.Min(query.Limit, MaxPresized)));
        var range = IdRange.Between(StepChunk.Id(runId, StepChunk.NumberOf(from)), StepChunk.EndId(runId, StepChunk.NumberOf(query.To)));
        foreach (var doc in _chunks.Find(range))
        {
            StepChunk.Read(doc, from, query.To, every, result, query.Limit);
            if (result.Count >= query.Limit)
            {
                break;
            }
        }

        return result;
    }

    /// <inheritdoc />
    public long CountSteps(string runId)
    {
        long n = 0;
        foreach (var doc in _chunks.Find(RunChunks(runId)))
        {
            n += doc["n"].AsInt32;
        }

        return n;
    }

    /// <inheritdoc />
    public IReadOnlyList<RunEvent> GetEvents(string runId, int offset = 0, int limit = int.MaxValue) =>
        _events.Query().Where(Query.EQ("run", runId)).OrderBy("_id").Skip(Math.Max(0, offset)).Limit(Math.Max(0, limit))
            .ToEnumerable().Select(EventFromDocument).ToList();

    /// <inheritdoc />
    public string? GetArtifact(string runId, string kind) =>
        _artifacts.FindById(runId + "/" + kind)?["json"].AsString;

    /// <inheritdoc />
    public void WriteBatch(IReadOnlyList<StoreWrite> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return;
        }

        lock (_writeLock)
        {
            var dirty = new Dictionary<string, StepChunk>(StringComparer.Ordinal);
            var lastStep = new Dictionary<string, long>(StringComparer.Ordinal);
            var checkpoints = new Dictionary<string, StoreWrite>(StringComparer.Ordinal);
            var events = new List<BsonDocument>();
            _db.BeginTrans();
            try
            {
                foreach (var write in batch)
                {
                    switch (write.Kind)
                    {
                        case StoreWriteKind.Step:
                            AppendStep(write.RunId, write.Step, dirty);
                            lastStep[write.RunId] = write.Step.Step;
                            break;
                        case StoreWriteKind.Event:
                            events.Add(EventToDocument(write.RunId, write.Event!));
                            break;
                        case StoreWriteKind.Artifact:
                            _artifacts.Upsert(new BsonDocument
                            {
                                ["_id"] = write.RunId + "/" + write.Name,
                                ["run"] = write.RunId,
                                ["json"] = write.Json,
                            });
                            break;
                        case StoreWriteKind.Checkpoint:
                            checkpoints[write.RunId] = write;
                            break;
                    }
                }

                foreach (var chunk in dirty.Values)
                {
                    Persist(chunk);
                }

                if (events.Count > 0)
                {
                    _events.InsertBulk(events);
                }

                UpdateRunProgress(lastStep, checkpoints);
                _db.Commit();
            }
            catch
            {
                _db.Rollback();
                _openChunks.Clear();
                throw;
            }

            foreach (var (runId, chunk) in dirty)
            {
                if (chunk.Count >= StepChunk.Size)
                {
                    _openChunks.Remove(runId);
                }
            }
        }
    }

    /// <inheritdoc />
    public bool DeleteRun(string runId)
    {
        lock (_writeLock)
        {
            _openChunks.Remove(runId);
            DeleteRange(_chunks, RunChunks(runId));
            _events.DeleteMany(Query.EQ("run", runId));
            DeleteRange(_artifacts, IdRange.Between(runId + "/", runId + "/\uffff"));
            return _runs.Delete(runId);
        }
    }

    /// <summary>Returns once every committed batch is in the database file (a LiteDB checkpoint).</summary>
    /// <remarks>LiteDB 5 commits to an in-memory queue that a background task writes to the log file
    /// (milliseconds later, well within a flush interval); a checkpoint waits for that queue.</remarks>
    public void WaitForDisk()
    {
        lock (_writeLock)
        {
            _db.Checkpoint();
        }
    }

    /// <summary>Closes the database file (after a checkpoint of its log).</summary>
    public void Dispose()
    {
        try
        {
            _db.Checkpoint();
        }
        finally
        {
            _db.Dispose();
        }
    }

    private static BsonExpression RunChunks(string runId) =>
        IdRange.Between(StepChunk.Id(runId, 0), StepChunk.EndId(runId, StepChunk.LastNumber));

    private void AppendStep(string runId, in StepRecord step, Dictionary<string, StepChunk> dirty)
    {
        long number = StepChunk.NumberOf(step.Step);
        if (!_openChunks.TryGetValue(runId, out var chunk) || chunk.Number != number || step.Step <= chunk.LastStep)
        {
            bool wentBack = chunk is null || step.Step <= chunk.LastStep;
            chunk = OpenChunk(runId, number, step.Step, wentBack, dirty);
        }

        chunk.Append(step);
        dirty[runId] = chunk;
    }

    private StepChunk OpenChunk(string runId, long number, long step, bool wentBack, Dictionary<string, StepChunk> dirty)
    {
        if (dirty.TryGetValue(runId, out var pending))
        {
            // Write what the batch added so far before the open chunk changes.
            Persist(pending);
            dirty.Remove(runId);
        }

        if (wentBack)
        {
            // Steps at or after this one are replaced (a resume or a rollback), and so are later chunks.
            DeleteRange(_chunks, IdRange.Between(StepChunk.Id(runId, number + 1), StepChunk.EndId(runId, StepChunk.LastNumber)));
        }

        var chunk = LoadChunk(runId, number);
        if (wentBack && chunk.Count > 0 && chunk.LastStep >= step)
        {
            chunk.TruncateFrom(step);
            DeleteRange(_chunks, ChunkDocuments(runId, number));
            chunk.Persisted = 0;
            Persist(chunk);
        }

        if (_openChunks.Count >= OpenChunkCacheLimit)
        {
            _openChunks.Clear();
        }

        _openChunks[runId] = chunk;
        return chunk;
    }

    /// <summary>Deletes the documents a range selects, one by id.</summary>
    /// <remarks>LiteDB's DeleteMany compiles new delegates on every call that deletes something (about five JIT
    /// compilations); a find followed by deletes by id compiles nothing.</remarks>
    private static void DeleteRange(ILiteCollection<BsonDocument> collection, BsonExpression range)
    {
        var ids = collection.Find(range).Select(doc => doc["_id"]).ToList();
        foreach (var id in ids)
        {
            collection.Delete(id);
        }
    }

    private static BsonExpression ChunkDocuments(string runId, long number) =>
        IdRange.Between(StepChunk.Id(runId, number), StepChunk.EndId(runId, number));

    /// <summary>Reads a chunk back from its full document and its segments.</summary>
    private StepChunk LoadChunk(string runId, long number)
    {
        var chunk = StepChunk.Empty(runId, number);
        foreach (var doc in _chunks.Find(ChunkDocuments(runId, number)))
        {
            chunk.AppendFrom(StepChunk.FromDocument(doc));
        }

        chunk.Persisted = chunk.Count;
        return chunk;
    }

    /// <summary>Writes the steps a chunk gained since its last write: a segment, or the full document once the chunk is full.</summary>
    /// <remarks>Appending segments keeps a flush from rewriting every open chunk (20 interleaved runs would
    /// otherwise rewrite 20 growing documents per batch); a full chunk is compacted into one document.</remarks>
    private void Persist(StepChunk chunk)
    {
        if (chunk.Persisted == chunk.Count)
        {
            return;
        }

        if (chunk.Count >= StepChunk.Size)
        {
            if (chunk.Persisted > 0)
            {
                DeleteRange(_chunks, ChunkDocuments(chunk.RunId, chunk.Number));
            }

            _chunks.Upsert(chunk.ToDocument());
        }
        else
        {
            _chunks.Upsert(chunk.ToDocument(StepChunk.SegmentId(chunk.RunId, chunk.Number, chunk.StepAt(chunk.Persisted)), chunk.Persisted));
        }

        chunk.Persisted = chunk.Count;
    }

    private void UpdateRunProgress(Dictionary<string, long> lastStep, Dictionary<string, StoreWrite> checkpoints)
    {
        foreach (string runId in lastStep.Keys.Union(checkpoints.Keys))
        {
            var doc = _runs.FindById(runId);
            if (doc is null)
            {
                continue;
            }

            if (lastStep.TryGetValue(runId, out long step))
            {
                doc["step"] = step;
            }

            if (checkpoints.TryGetValue(runId, out var checkpoint))
            {
                doc["checkpoint"] = checkpoint.Name;
                doc["checkpointStep"] = checkpoint.Step.Step;
            }

            _runs.Update(doc);
        }
    }

    private static BsonDocument ToDocument(StoredRun run)
    {
        var doc = new BsonDocument
        {
            ["_id"] = run.Id,
            ["name"] = run.Name,
            ["state"] = WireName.Of(run.State),
            ["job"] = run.JobJson,
            ["created"] = run.CreatedUnixMs,
            ["step"] = run.Step,
            ["updated"] = run.UpdatedUnixMs,
            ["restarts"] = run.Restarts,
        };
        Put(doc, "started", run.StartedUnixMs);
        Put(doc, "ended", run.EndedUnixMs);
        Put(doc, "reason", run.Reason);
        Put(doc, "exitCode", run.LastExitCode);
        Put(doc, "checkpoint", run.CheckpointPath);
        Put(doc, "checkpointStep", run.CheckpointStep);
        return doc;
    }

    private static StoredRun FromDocument(BsonDocument doc) =>
        new(doc["_id"].AsString, doc["name"].AsString, WireName.Parse<RunState>(doc["state"].AsString), doc["job"].AsString, doc["created"].AsInt64)
        {
            Step = doc["step"].AsInt64,
            UpdatedUnixMs = doc["updated"].AsInt64,
            Restarts = doc["restarts"].AsInt32,
            StartedUnixMs = doc["started"].IsNull ? null : doc["started"].AsInt64,
            EndedUnixMs = doc["ended"].IsNull ? null : doc["ended"].AsInt64,
            Reason = doc["reason"].IsNull ? null : doc["reason"].AsString,
            LastExitCode = doc["exitCode"].IsNull ? null : doc["exitCode"].AsInt32,
            CheckpointPath = doc["checkpoint"].IsNull ? null : doc["checkpoint"].AsString,
            CheckpointStep = doc["checkpointStep"].IsNull ? null : doc["checkpointStep"].AsInt64,
        };

    private static BsonDocument EventToDocument(string runId, RunEvent e)
    {
        var doc = new BsonDocument
        {
            ["run"] = runId,
            ["step"] = e.Step,
            ["kind"] = WireName.Of(e.Kind),
            ["reason"] = e.Reason,
            ["time"] = e.TimeUnixMs,
        };
        Put(doc, "symptom", e.Symptom);
        Put(doc, "oldLr", e.OldLr);
        Put(doc, "newLr", e.NewLr);
        if (e.Data is { Count: > 0 })
        {
            var data = new BsonDocument();
            foreach (var (key, value) in e.Data)
            {
                data[key] = value;
            }

            doc["data"] = data;
        }

        return doc;
    }

    private static RunEvent EventFromDocument(BsonDocument doc)
    {
        Dictionary<string, double>? data = null;
        if (doc["data"].IsDocument)
        {
            data = doc["data"].AsDocument.ToDictionary(kv => kv.Key, kv => kv.Value.AsDouble, StringComparer.Ordinal);
        }

        return new RunEvent(doc["step"].AsInt64, WireName.Parse<EventKind>(doc["kind"].AsString), doc["reason"].AsString, doc["time"].AsInt64)
        {
            Symptom = doc["symptom"].IsNull ? null : doc["symptom"].AsString,
            OldLr = doc["oldLr"].IsNull ? null : doc["oldLr"].AsDouble,
            NewLr = doc["newLr"].IsNull ? null : doc["newLr"].AsDouble,
            Data = data,
        };
    }

    private static void Put(BsonDocument doc, string key, string? value)
    {
        if (value is not null)
        {
            doc[key] = value;
        }
    }

    private static void Put(BsonDocument doc, string key, long? value)
    {
        if (value is not null)
        {
            doc[key] = value.Value;
        }
    }

    private static void Put(BsonDocument doc, string key, int? value)
    {
        if (value is not null)
        {
            doc[key] = value.Value;
        }
    }

    private static void Put(BsonDocument doc, string key, double? value)
    {
        if (value is not null)
        {
            doc[key] = value.Value;
        }
    }
}
