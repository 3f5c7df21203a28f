using System.IO.Compression;
using LrDoctor.Core.Logs;

namespace LrDoctor.Core.Tests.Logs;

/// <summary>Each framework's log is recognised by its content and read as that framework means it.</summary>
public sealed class FormatSniffingTests
{
    [Fact]
    public void ReadRecords_UltralyticsResultsWithPaddedHeader_SumsTheLossPartsAndTakesPg0AsTheLr()
    {
        string csv = """
                           epoch,      train/box_loss,      train/cls_loss,      train/dfl_loss,   metrics/precision(B),      metrics/recall(B),       metrics/mAP50(B),    metrics/mAP50-95(B),        val/box_loss,        val/cls_loss,        val/dfl_loss,              lr/pg0,              lr/pg1,              lr/pg2
                               1,               1.25,               2.5,               1.0,                 0.5,               0.4,               0.3,               0.2,                1.5,               2.0,                1.25,            0.07,            0.0003,            0.0003
                               2,               1.0,               2.0,               1.0,                 0.6,               0.5,               0.4,               0.3,                1.25,               1.75,                1.0,            0.04,            0.0006,            0.0006
            """;

        var (log, records) = LogText.Read(csv);

        Assert.Equal(LogFormat.Ultralytics, log.Format);
        Assert.Equal(LogStepSource.Epoch, log.StepSource);
        Assert.Equal([1L, 2], records.Select(r => r.Step));
        Assert.Equal([4.75, 4.0], records.Select(r => r.TrainLoss!.Value));
        Assert.Equal([4.75, 4.0], records.Select(r => r.ValLoss!.Value));
        Assert.Equal([0.07, 0.04], records.Select(r => r.Lr!.Value));
        Assert.Equal("train loss = train/box_loss + train/cls_loss + train/dfl_loss; validation loss = val/box_loss + val/cls_loss + val/dfl_loss", log.Note);
    }

    [Fact]
    public void ReadRecords_LlamaFactoryTrainerLog_UsesCurrentStepsAndNullLosses()
    {
        string jsonl = """
            {"current_steps": 10, "total_steps": 30, "loss": 1.9, "eval_loss": null, "predict_loss": null, "lr": 4.5e-05, "epoch": 0.33, "percentage": 33.33, "elapsed_time": "0:00:10", "remaining_time": "0:00:20"}
            {"current_steps": 20, "total_steps": 30, "loss": 1.6, "eval_loss": null, "predict_loss": null, "learning_rate": 2.5e-05, "epoch": 0.67, "percentage": 66.67, "elapsed_time": "0:00:20", "remaining_time": "0:00:10"}
            {"current_steps": 20, "total_steps": 30, "loss": null, "eval_loss": 1.7, "predict_loss": null, "epoch": 0.67, "percentage": 66.67, "elapsed_time": "0:00:22", "remaining_time": "0:00:11"}
            """;

        var (log, records) = LogText.Read(jsonl);

        Assert.Equal(LogFormat.LlamaFactory, log.Format);
        Assert.Equal([10L, 20], records.Select(r => r.Step));
        Assert.Equal([1.9, 1.6], records.Select(r => r.TrainLoss!.Value));
        Assert.Equal(2.5e-05, records[1].Lr);
        Assert.Equal(1.7, records[1].ValLoss);
    }

    [Fact]
    public void ReadRecords_DetrLogTxt_IsOneEntryPerEpoch()
    {
        string jsonl = """
            {"train_lr": 9.999e-05, "train_loss": 6.1, "train_loss_ce": 2.0, "test_loss": 5.5, "test_coco_eval_bbox": [0.01, 0.02], "epoch": 0, "n_parameters": 41302368}
            {"train_lr": 9.999e-05, "train_loss": 5.2, "train_loss_ce": 1.8, "test_loss": 4.9, "test_coco_eval_bbox": [0.02, 0.04], "epoch": 1, "n_parameters": 41302368}
            """;

        var (log, records) = LogText.Read(jsonl);

        Assert.Equal(LogFormat.EpochJsonLines, log.Format);
        Assert.Equal(LogStepSource.Epoch, log.StepSource);
        Assert.Equal([0L, 1], records.Select(r => r.Step));
        Assert.Equal([6.1, 5.2], records.Select(r => r.TrainLoss!.Value));
        Assert.Equal([5.5, 4.9], records.Select(r => r.ValLoss!.Value));
        Assert.Equal(9.999e-05, records[0].Lr);
    }

    [Fact]
    public void ReadRecords_MmengineScalars_SkipsEvaluationLinesStampedWithTheEpoch()
    {
        string jsonl = """
            {"lr": 0.02, "data_time": 0.01, "loss": 1.2, "loss_cls": 0.7, "time": 0.4, "epoch": 1, "iter": 50, "memory": 3000, "step": 50}
            {"lr": 0.02, "data_time": 0.01, "loss": 1.0, "loss_cls": 0.6, "time": 0.4, "epoch": 1, "iter": 100, "memory": 3000, "step": 100}
            {"coco/bbox_mAP": 0.12, "data_time": 0.02, "time": 0.1, "step": 1}
            {"lr": 0.02, "data_time": 0.01, "loss": 0.9, "loss_cls": 0.5, "time": 0.4, "epoch": 2, "iter": 150, "memory": 3000, "step": 150}
            """;

        var (log, records) = LogText.Read(jsonl);

        Assert.Equal(LogFormat.Mmengine, log.Format);
        Assert.Equal([50L, 100, 150], records.Select(r => r.Step));
    }

    [Theory]
    [InlineData("""{"loss": [2.0, 1.5, 1.2], "accuracy": [0.5, 0.6, 0.7], "val_loss": [2.1, 1.7, 1.6], "learning_rate": [0.001, 0.001, 0.0005]}""")]
    [InlineData("{\n  \"loss\": [\n    2.0,\n    1.5,\n    1.2\n  ],\n  \"val_loss\": [2.1, 1.7, 1.6],\n  \"lr\": [0.001, 0.001, 0.0005]\n}\n")]
    public void ReadRecords_KerasHistoryJson_IsOneEntryPerEpoch(string json)
    {
        var (log, records) = LogText.Read(json);

        Assert.Equal(LogFormat.KerasHistory, log.Format);
        Assert.Equal(LogStepSource.Epoch, log.StepSource);
        Assert.Equal([0L, 1, 2], records.Select(r => r.Step));
        Assert.Equal([2.0, 1.5, 1.2], records.Select(r => r.TrainLoss!.Value));
        Assert.Equal([2.1, 1.7, 1.6], records.Select(r => r.ValLoss!.Value));
        Assert.Equal(0.0005, records[2].Lr);
    }

    [Fact]
    public void ReadRecords_TrainerStateWithPredictEntry_SkipsItInsteadOfRefusingTheFile()
    {
        string json = """
            {"global_step": 20, "log_history": [
              {"loss": 1.0, "learning_rate": 1e-4, "epoch": 0.5, "step": 10},
              {"loss": 0.9, "learning_rate": 1e-4, "epoch": 1.0, "step": 20},
              {"eval_loss": 0.95, "eval_runtime": 1.0, "epoch": 1.0, "step": 20},
              {"train_runtime": 30.0, "train_loss": 0.95, "epoch": 1.0, "step": 20},
              {"predict_loss": 0.97, "predict_runtime": 2.0, "predict_samples_per_second": 50.0}
            ]}
            """;

        var (_, records) = LogText.Read(json);

        Assert.Equal([10L, 20], records.Select(r => r.Step));
        Assert.Equal(0.95, records[1].ValLoss);
    }

    [Fact]
    public void ReadRecords_LightningMetricsWithOnlyValLoss_DiagnosesTheValidationCurve()
    {
        string csv = "epoch,step,val_loss\n0,99,2.0\n1,199,1.9\n2,299,1.85\n";

        var (log, records) = LogText.Read(csv);

        Assert.Equal([2.0, 1.9, 1.85], records.Select(r => r.TrainLoss!.Value));
        Assert.All(records, r => Assert.Null(r.ValLoss));
        Assert.Contains("only a validation loss is logged ('val_loss')", log.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_BinaryThatIsNotAnEventFile_RefusesWithoutEchoingIt()
    {
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];

        var e = LogText.Refusal(png);

        Assert.Contains("binary and not a TensorBoard event file", e.Message, StringComparison.Ordinal);
        Assert.Contains("LrDoctor reads:", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PNG", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("IHDR", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_GzippedLog_SaysToDecompressIt()
    {
        var bytes = new MemoryStream();
        using (var gzip = new GZipStream(bytes, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write("step,loss\n0,1\n"u8);
        }

        var e = LogText.Refusal(bytes.ToArray());

        Assert.Contains("gzip-compressed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_CsvByContent_IsCsvWhateverItsName()
    {
        var (log, records) = LogText.Read("step,loss\n0,1.0\n1,0.9\n");

        Assert.Equal(LogFormat.Csv, log.Format);
        Assert.Equal(2, records.Count);
    }
}
