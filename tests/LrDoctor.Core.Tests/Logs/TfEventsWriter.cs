using System.Buffers.Binary;
using Google.Protobuf;
using LrDoctor.Core.Logs.TensorBoard;

namespace LrDoctor.Core.Tests.Logs;

/// <summary>Writes TensorBoard event files as TensorFlow and PyTorch's SummaryWriter do: TFRecord framing around serialized Events.</summary>
/// <remarks>No tensorboard package is installable here, so the tests write their own files with the same messages and framing.</remarks>
internal sealed class TfEventsWriter
{
    private readonly MemoryStream _bytes = new();

    public TfEventsWriter()
    {
        Write(new Event { WallTime = 1.7e9, FileVersion = "brain.Event:2" });
    }

    /// <summary>Adds one scalar as PyTorch's <c>add_scalar</c> writes it (<c>simple_value</c>).</summary>
    public TfEventsWriter Scalar(long step, string tag, double value)
    {
        var summary = new Summary();
        summary.Value.Add(new Summary.Types.Value { Tag = tag, SimpleValue = (float)value });
        return Write(new Event { WallTime = 1.7e9 + step, Step = step, Summary = summary });
    }

    /// <summary>Adds one scalar as TF2's <c>tf.summary.scalar</c> writes it: a rank-0 float tensor in <c>tensor_content</c>, with the scalars plugin's metadata.</summary>
    public TfEventsWriter TensorScalar(long step, string tag, float value)
    {
        byte[] content = new byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(content, value);
        var tensor = new TensorProto { Dtype = DataType.DtFloat, TensorShape = new TensorShapeProto(), TensorContent = ByteString.CopyFrom(content) };
        var metadata = new SummaryMetadata { PluginData = new SummaryMetadata.Types.PluginData { PluginName = "scalars" }, DataClass = DataClass.Scalar };
        var summary = new Summary();
        summary.Value.Add(new Summary.Types.Value { Tag = tag, Tensor = tensor, Metadata = metadata });
        return Write(new Event { WallTime = 1.7e9 + step, Step = step, Summary = summary });
    }

    public byte[] ToArray() => _bytes.ToArray();

    /// <summary>Writes one record: length, masked CRC of the length, data, masked CRC of the data.</summary>
    public TfEventsWriter Write(Event e)
    {
        byte[] data = e.ToByteArray();
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc32C.Masked(header[..8]));
        _bytes.Write(header);
        _bytes.Write(data);
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc32C.Masked(data));
        _bytes.Write(footer);
        return this;
    }
}
