using System.Buffers.Binary;
using System.Globalization;
using Google.Protobuf;
using LrDoctor.Core.Logs.TensorBoard;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Logs;

/// <summary>Reads a TensorBoard event file (<c>events.out.tfevents.*</c>): the scalar summaries of its events become step records.</summary>
/// <remarks>
/// <para>
/// The file is TFRecord framing: a little-endian 64-bit length, its masked CRC-32C, the bytes of one serialized
/// <c>Event</c>, their masked CRC-32C. Both checks are made; a mismatch names the record and its byte offset. A last
/// record cut short is a file still being written: reading stops there. The events are parsed with the protobuf
/// messages generated from <c>TensorBoard/tensorboard_event.proto</c> (a subset of TensorFlow's schema).
/// </para>
/// <para>
/// Scalars come as <c>simple_value</c> (PyTorch's SummaryWriter, so Hugging Face, Lightning and Ultralytics) or as a
/// rank-0 tensor (TF2's <c>tf.summary.scalar</c>). Tags are matched like CSV columns (<c>train/loss</c>, <c>eval/loss</c>,
/// <c>loss</c>, <c>val_loss</c>, <c>train/learning_rate</c>, <c>lr-Adam</c>, <c>Loss/train</c>, ...); values of one
/// event share its step, and consecutive events of a step are merged by <see cref="TrainingLog"/>.
/// </para>
/// </remarks>
internal sealed class TensorBoardLogReader : ILogRowSource
{
    private const int HeaderBytes = 12;
    private const int MaxRecordBytes = 64 << 20;
    private readonly Stream _stream;
    private readonly byte[] _header = new byte[HeaderBytes];
    private readonly Dictionary<string, (LogField Field, int Rank)> _tags = new(StringComparer.Ordinal);
    private readonly Dictionary<LogField, (string Tag, int Rank)> _chosen = [];
    private byte[] _buffer = new byte[1024];
    private long _offset;
    private bool _any;

    /// <summary>Initializes a new instance of the <see cref="TensorBoardLogReader"/> class.</summary>
    /// <param name="stream">The event file, positioned at its first record.</param>
    public TensorBoardLogReader(Stream stream)
    {
        _stream = stream;
    }

    /// <inheritdoc />
    public LogFormat Format => LogFormat.TensorBoard;

    /// <inheritdoc />
    public long Line { get; private set; }

    /// <inheritdoc />
    public string? Note => _chosen.Count == 0 ? null : "tags: " + string.Join(", ", _chosen.Values.Select(c => c.Tag).Order(StringComparer.Ordinal));

    /// <summary>Gets whether the first bytes of a file are a TFRecord header: a length whose masked CRC-32C follows it.</summary>
    /// <param name="head">The first bytes.</param>
    /// <returns><see langword="true"/> for a TFRecord file such as a TensorBoard event file.</returns>
    public static bool IsEventFile(ReadOnlySpan<byte> head) =>
        head.Length >= HeaderBytes && MaskedCrc32C.Masked(head[..8]) == BinaryPrimitives.ReadUInt32LittleEndian(head[8..HeaderBytes]);

    /// <inheritdoc />
    public bool TryReadRow(out StepRecord row)
    {
        while (TryReadEvent(out var data))
        {
            Event e;
            try
            {
                e = Event.Parser.ParseFrom(data);
            }
            catch (InvalidProtocolBufferException ex)
            {
                throw new LogFormatException(Line, string.Create(CultureInfo.InvariantCulture, $"record {Line} (byte {_offset}): not a TensorBoard Event ({ex.Message})"));
            }

            if (e.WhatCase == Event.WhatOneofCase.Summary && TryRow(e, out row))
            {
                _any = true;
                return true;
            }
        }

        if (!_any)
        {
            throw new LogFormatException(0, "the TensorBoard event file has no scalar of a training loss, validation loss, LR or gradient norm (tags like 'train/loss', 'loss', 'val_loss', 'lr')");
        }

        row = default;
        return false;
    }

    private static double? Scalar(Summary.Types.Value value) => value.ValueCase switch
    {
        Summary.Types.Value.ValueOneofCase.SimpleValue => value.SimpleValue,
        Summary.Types.Value.ValueOneofCase.Tensor => TensorScalar(value.Tensor),
        _ => null,
    };

    /// <summary>Reads a rank-0 (or one-element) tensor, as TF2's <c>tf.summary.scalar</c> writes.</summary>
    private static double? TensorScalar(TensorProto tensor)
    {
        if (tensor.TensorShape is { } shape && shape.Dim.Any(d => d.Size != 1))
        {
            return null;
        }

        var content = tensor.TensorContent.Span;
        return tensor.Dtype switch
        {
            DataType.DtFloat when tensor.FloatVal.Count > 0 => tensor.FloatVal[0],
            DataType.DtFloat when content.Length == 4 => BinaryPrimitives.ReadSingleLittleEndian(content),
            DataType.DtDouble when tensor.DoubleVal.Count > 0 => tensor.DoubleVal[0],
            DataType.DtDouble when content.Length == 8 => BinaryPrimitives.ReadDoubleLittleEndian(content),
            DataType.DtHalf when tensor.HalfVal.Count > 0 => (double)BitConverter.Int16BitsToHalf((short)tensor.HalfVal[0]),
            DataType.DtHalf when content.Length == 2 => (double)BinaryPrimitives.ReadHalfLittleEndian(content),
            DataType.DtInt32 when tensor.IntVal.Count > 0 => tensor.IntVal[0],
            DataType.DtInt64 when tensor.Int64Val.Count > 0 => tensor.Int64Val[0],
            _ => null,
        };
    }

    private bool TryRow(Event e, out StepRecord row)
    {
        double? train = null, val = null, lr = null, grad = null, epoch = null;
        foreach (var value in e.Summary.Value)
        {
            var field = Classify(value.Tag);
            if (field == LogField.Ignored || Scalar(value) is not { } x)
            {
                continue;
            }

            switch (field)
            {
                case LogField.TrainLoss: train = x; break;
                case LogField.ValLoss: val = x; break;
                case LogField.Lr: lr = x; break;
                case LogField.GradNorm: grad = x; break;
                case LogField.Epoch: epoch = x; break;
                default: break;
            }
        }

        if (train is null && val is null && lr is null && grad is null)
        {
            row = default;
            return false;
        }

        row = new StepRecord(LogSteps.ToStep(e.Step, "step", Line), train, val, lr, grad) { Epoch = epoch };
        return true;
    }

    /// <summary>Classifies a tag once; of several tags for one field the first best-ranked one seen is used, the others ignored.</summary>
    private LogField Classify(string tag)
    {
        if (_tags.TryGetValue(tag, out var known))
        {
            return known.Field;
        }

        var field = LogColumns.Classify(tag, out int rank);
        if (field is LogField.Step or LogField.Ignored)
        {
            _tags[tag] = (LogField.Ignored, rank);
            return LogField.Ignored;
        }

        if (_chosen.TryGetValue(field, out var chosen) && chosen.Rank <= rank)
        {
            _tags[tag] = (LogField.Ignored, rank);
            return LogField.Ignored;
        }

        if (_chosen.TryGetValue(field, out chosen))
        {
            _tags[chosen.Tag] = (LogField.Ignored, chosen.Rank);
        }

        _chosen[field] = (tag, rank);
        _tags[tag] = (field, rank);
        return field;
    }

    private bool TryReadEvent(out ReadOnlySpan<byte> data)
    {
        data = default;
        long offset = _offset;
        if (ReadFully(_header) < HeaderBytes)
        {
            return false; // the end, or a header cut short by a writer still at work
        }

        Line++;
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(_header);
        if (MaskedCrc32C.Masked(_header.AsSpan(0, 8)) != BinaryPrimitives.ReadUInt32LittleEndian(_header.AsSpan(8)))
        {
            throw Damaged(offset, "the CRC of its length does not match");
        }

        if (length > MaxRecordBytes)
        {
            throw Damaged(offset, string.Create(CultureInfo.InvariantCulture, $"its length {length} is beyond {MaxRecordBytes} bytes"));
        }

        int size = (int)length;
        if (_buffer.Length < size + 4)
        {
            _buffer = new byte[Math.Max(size + 4, _buffer.Length * 2)];
        }

        if (ReadFully(_buffer.AsSpan(0, size + 4)) < size + 4)
        {
            return false; // a last record cut short: the run is still writing it
        }

        var body = _buffer.AsSpan(0, size);
        if (MaskedCrc32C.Masked(body) != BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(size, 4)))
        {
            throw Damaged(offset, "the CRC of its data does not match");
        }

        data = body;
        return true;
    }

    private LogFormatException Damaged(long offset, string what) =>
        new(Line, string.Create(CultureInfo.InvariantCulture, $"record {Line} (byte {offset}): {what}; the event file is damaged"));

    private int ReadFully(Span<byte> target)
    {
        int total = 0;
        int read;
        while (total < target.Length && (read = _stream.Read(target[total..])) > 0)
        {
            total += read;
        }

        _offset += total;
        return total;
    }
}
