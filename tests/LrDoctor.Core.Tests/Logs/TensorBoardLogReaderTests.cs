using System.Text;
using LrDoctor.Core.Logs;
using LrDoctor.Core.Logs.TensorBoard;

namespace LrDoctor.Core.Tests.Logs;

/// <summary>TensorBoard event files: framing, checksums, simple_value and TF2 tensor scalars, the tags frameworks write.</summary>
public sealed class TensorBoardLogReaderTests
{
    [Fact]
    public void Crc_StandardCheckValue_IsCrc32C()
    {
        // The CRC-32C check value of the ASCII digits 1-9 (RFC 3720, iSCSI).
        Assert.Equal(0xE3069283u, MaskedCrc32C.Crc(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void ReadRecords_HuggingFaceTrainerTags_MergeOneStepsScalarsAndTakeEvalLoss()
    {
        var file = new TfEventsWriter();
        for (int step = 10; step <= 30; step += 10)
        {
            file.Scalar(step, "train/loss", 2.0 / step).Scalar(step, "train/grad_norm", 1.5).Scalar(step, "train/learning_rate", 1e-4).Scalar(step, "train/epoch", step / 100.0);
        }

        file.Scalar(30, "eval/loss", 0.09).Scalar(30, "train/train_runtime", 12.5);

        var (log, records) = LogText.Read(file.ToArray());

        Assert.Equal(LogFormat.TensorBoard, log.Format);
        Assert.Equal([10L, 20, 30], records.Select(r => r.Step));
        Assert.Equal(0.2, records[0].TrainLoss!.Value, 6);
        Assert.Equal(1.5, records[1].GradNorm!.Value, 6);
        Assert.Equal(1e-4, records[2].Lr!.Value, 9);
        Assert.Equal(0.09, records[2].ValLoss!.Value, 6);
        Assert.Contains("train/loss", log.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRecords_Tf2TensorScalars_AreRead()
    {
        var file = new TfEventsWriter().TensorScalar(0, "loss", 2.5f).TensorScalar(0, "learning_rate", 0.01f).TensorScalar(1, "loss", 2.25f);

        var (_, records) = LogText.Read(file.ToArray());

        Assert.Equal([2.5, 2.25], records.Select(r => r.TrainLoss!.Value));
        Assert.Equal(0.01, records[0].Lr!.Value, 6);
    }

    [Fact]
    public void ReadRecords_LightningTags_TakeTrainLossValLossAndLrMonitor()
    {
        var file = new TfEventsWriter().Scalar(49, "train_loss", 1.0).Scalar(49, "lr-Adam", 1e-3).Scalar(99, "train_loss", 0.8).Scalar(99, "val_loss", 0.9).Scalar(99, "epoch", 0);

        var (_, records) = LogText.Read(file.ToArray());

        Assert.Equal([49L, 99], records.Select(r => r.Step));
        Assert.Equal(1e-3, records[0].Lr!.Value, 9);
        Assert.Equal(0.9, records[1].ValLoss!.Value, 6);
    }

    [Fact]
    public void ReadRecords_DamagedRecord_NamesTheRecordAndItsOffset()
    {
        byte[] bytes = new TfEventsWriter().Scalar(0, "loss", 1).Scalar(1, "loss", 0.9).ToArray();
        bytes[^6] ^= 0xFF; // a byte of the last event's data

        var e = LogText.Refusal(bytes);

        Assert.Contains("record 3 (byte", e.Message, StringComparison.Ordinal);
        Assert.Contains("CRC of its data does not match", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRecords_LastRecordCutShort_ReadsTheCompleteOnes()
    {
        byte[] bytes = new TfEventsWriter().Scalar(0, "loss", 1).Scalar(1, "loss", 0.9).Scalar(2, "loss", 0.8).ToArray();

        var (_, records) = LogText.Read(bytes[..^7]);

        Assert.Equal([0L, 1], records.Select(r => r.Step));
    }

    [Fact]
    public void ReadRecords_EventFileWithoutLossScalars_SaysWhichTagsAreRead()
    {
        byte[] bytes = new TfEventsWriter().Scalar(0, "accuracy", 0.5).ToArray();

        var e = LogText.Refusal(bytes);

        Assert.Contains("no scalar of a training loss", e.Message, StringComparison.Ordinal);
        Assert.Contains("'train/loss'", e.Message, StringComparison.Ordinal);
    }
}
