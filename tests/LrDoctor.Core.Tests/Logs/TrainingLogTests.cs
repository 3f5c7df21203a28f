using LrDoctor.Core.Logs;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Tests.Logs;

public sealed class TrainingLogTests
{
    private static List<StepRecord> Read(string text, out LogFormat format)
    {
        var log = TrainingLog.Open(new StringReader(text));
        format = log.Format;
        return [.. log.ReadRecords()];
    }

    private static List<StepRecord> Read(string text) => Read(text, out _);

    private static LogFormatException Fails(string text) =>
        Assert.Throws<LogFormatException>(() => Read(text));

    [Fact]
    public void ReadRecords_DesignCsv_ReadsEveryColumnAndEmptyCellsAsMissing()
    {
        var records = Read("step,train_loss,val_loss,lr,grad_norm,epoch\n0,2.3,,0.1,1.5,0.01\n1,2.1,2.2,0.1,,0.02\n", out var format);

        Assert.Equal(LogFormat.Csv, format);
        Assert.Equal(2, records.Count);
        Assert.Equal(new StepRecord(0, 2.3, null, 0.1, 1.5) { Epoch = 0.01 }, records[0]);
        Assert.Equal(new StepRecord(1, 2.1, 2.2, 0.1, null) { Epoch = 0.02 }, records[1]);
    }

    [Fact]
    public void ReadRecords_NanAndInfinityInAnyCase_AreValues()
    {
        var records = Read("step,loss,grad_norm\n0,NaN,inf\n1,nan,-INF\n2,Infinity,1\n");

        Assert.True(double.IsNaN(records[0].TrainLoss!.Value));
        Assert.Equal(double.PositiveInfinity, records[0].GradNorm);
        Assert.Equal(double.NegativeInfinity, records[1].GradNorm);
        Assert.Equal(double.PositiveInfinity, records[2].TrainLoss);
    }

    [Fact]
    public void ReadRecords_OtherColumnsCrLfBomAndQuotes_AreHandled()
    {
        var records = Read("\uFEFF\"step\",acc,\"loss\",learning_rate\r\n\"3\",0.5,\"1.25\",1e-3\r\n");

        Assert.Equal(new StepRecord(3, 1.25, null, 1e-3), Assert.Single(records));
    }

    [Fact]
    public void ReadRecords_TrainLossPreferredOverLoss_WhenBothPresent()
    {
        var records = Read("step,loss,train_loss\n0,9,1\n");

        Assert.Equal(1, Assert.Single(records).TrainLoss);
    }

    [Fact]
    public void ReadRecords_AdjacentRowsOfOneStep_AreMergedLaterValuesWinning()
    {
        var records = Read("step,train_loss,val_loss\n5,1.0,\n5,,0.9\n5,1.1,\n6,0.8,\n");

        Assert.Equal(2, records.Count);
        Assert.Equal(new StepRecord(5, 1.1, 0.9), records[0]);
        Assert.Equal(6, records[1].Step);
    }

    [Fact]
    public void ReadRecords_DecreasingStep_FailsNamingTheLine()
    {
        var e = Fails("step,loss\n0,1\n5,1\n3,1\n");

        Assert.Equal(4, e.Line);
        Assert.Contains("step 3 comes after step 5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRecords_StepGoesBack_SaysItIsAResume()
    {
        var e = Fails("step,loss\n0,1\n5,1\n3,1\n");

        Assert.True(e.StepsGoBack);
        Assert.False(Fails("step,loss\n0,x\n").StepsGoBack);
    }

    [Fact]
    public void ReadRecords_KeepLatestAttempt_ResumedLogKeepsTheLastAttemptOfEveryStep()
    {
        // Steps 0-5, resumed from a checkpoint at step 3 (steps 3-5 logged again with other losses), then resumed at 1.
        const string Text = "step,loss\n0,2.0\n1,1.9\n2,1.8\n3,1.7\n4,9.0\n5,9.5\n3,1.6\n4,1.5\n4,\n5,1.4\n6,1.3\n1,1.95\n2,1.85\n7,1.2\n";
        var log = TrainingLog.Open(new StringReader(Text));

        var records = log.ReadRecords(keepLatestAttempt: true).ToList();

        Assert.Equal([0L, 1, 2, 7], records.Select(r => r.Step));
        Assert.Equal([2.0, 1.95, 1.85, 1.2], records.Select(r => r.TrainLoss!.Value));
        Assert.Equal([new LogResume(8, 5, 3), new LogResume(13, 6, 1)], log.Resumes);
    }

    [Fact]
    public void ReadRecords_KeepLatestAttemptOnAnOrderedLog_IsTheSameAsStreaming()
    {
        const string Text = "step,loss,val_loss\n0,2.0,\n1,1.9,\n1,,1.95\n2,1.8,\n";
        var streamed = Read(Text);
        var log = TrainingLog.Open(new StringReader(Text));

        Assert.Equal(streamed, log.ReadRecords(keepLatestAttempt: true));
        Assert.Empty(log.Resumes);
    }

    [Fact]
    public void Open_MissingStepColumn_NamesIt()
    {
        var e = Fails("iteration_time,loss\n1,2\n");

        Assert.Contains("missing required column 'step'", e.Message, StringComparison.Ordinal);
        Assert.Contains("iteration_time, loss", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_MissingLossColumn_NamesIt()
    {
        var e = Fails("step,val_acc\n1,2\n");

        Assert.Equal(1, e.Line);
        Assert.Contains("missing required column 'train_loss' (or 'loss')", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRecords_NonNumericCell_NamesLineAndColumn()
    {
        var e = Fails("step,train_loss,lr\n0,1.0,0.1\n1,abc,0.1\n");

        Assert.Equal(3, e.Line);
        Assert.Equal("line 3: column 'train_loss': 'abc' is not a number", e.Message);
    }

    [Fact]
    public void ReadRecords_MoreCellsThanHeader_FailsNamingTheLine()
    {
        var e = Fails("step,loss\n0,1,2\n");

        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void ReadRecords_FewerCellsThanHeader_TreatsTheRestAsMissing()
    {
        var records = Read("step,loss,val_loss\n0,1\n");

        Assert.Equal(new StepRecord(0, 1), Assert.Single(records));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \n")]
    public void Open_EmptyFile_SaysSo(string text)
    {
        var e = Fails(text);

        Assert.Equal("the file is empty", e.Message);
    }

    [Fact]
    public void ReadRecords_HeaderOnly_SaysThereAreNoRows()
    {
        var e = Fails("step,loss\n");

        Assert.Contains("no data rows", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRecords_FractionalStep_FailsNamingTheLine()
    {
        var e = Fails("step,loss\n0.5,1\n");

        Assert.Equal(2, e.Line);
        Assert.Contains("whole number", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRecords_KerasLogWithoutStep_UsesEpochAsStep()
    {
        var records = Read("epoch,accuracy,learning_rate,loss,val_accuracy,val_loss\n0,0.5,0.001,2.0,0.5,2.1\n1,0.6,0.001,1.5,0.6,1.7\n", out var format);

        Assert.Equal(LogFormat.EpochCsv, format);
        Assert.Equal([0L, 1L], records.Select(r => r.Step));
        Assert.Equal(new StepRecord(1, 1.5, 1.7, 0.001) { Epoch = 1 }, records[1]);
    }

    [Fact]
    public void ReadRecords_LegacyKerasLrColumn_IsTheLr()
    {
        var records = Read("epoch,loss,lr\n0,2.0,0.01\n");

        Assert.Equal(0.01, Assert.Single(records).Lr);
    }

    [Fact]
    public void ReadRecords_JsonLines_ReadsSnakeAndCamelCaseKeys()
    {
        var records = Read("{\"step\":0,\"train_loss\":2.0,\"lr\":0.1}\n\n{\"step\":1,\"trainLoss\":\"NaN\",\"valLoss\":1.5,\"gradNorm\":null}\n", out var format);

        Assert.Equal(LogFormat.JsonLines, format);
        Assert.Equal(new StepRecord(0, 2.0, null, 0.1), records[0]);
        Assert.True(double.IsNaN(records[1].TrainLoss!.Value));
        Assert.Equal(1.5, records[1].ValLoss);
        Assert.Null(records[1].GradNorm);
    }

    [Fact]
    public void ReadRecords_JsonLinesBadLine_NamesTheLine()
    {
        var e = Fails("{\"step\":0,\"loss\":1}\n{\"step\":1,\"loss\":\"high\"}\n");

        Assert.Equal(2, e.Line);
        Assert.Contains("key 'loss': 'high' is not a number", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadRecords_JsonLinesWithoutStep_NamesTheLine()
    {
        var e = Fails("{\"step\":0,\"loss\":1}\n{\"loss\":1}\n");

        Assert.Equal("line 2: missing key 'step'", e.Message);
    }

    [Fact]
    public void ReadRecords_TrainerState_MergesLossAndEvalEntriesAndSkipsTheSummary()
    {
        const string state = """
            {
              "global_step": 20,
              "log_history": [
                {"epoch": 0.5, "grad_norm": 3.0, "learning_rate": 5e-05, "loss": 2.5, "step": 10},
                {"epoch": 1.0, "grad_norm": 2.0, "learning_rate": 4e-05, "loss": 2.0, "step": 20},
                {"epoch": 1.0, "eval_loss": 2.2, "eval_runtime": 1.0, "step": 20},
                {"epoch": 1.0, "step": 20, "total_flos": 1.0, "train_loss": 2.25, "train_runtime": 10.0}
              ]
            }
            """;

        var records = Read(state, out var format);

        Assert.Equal(LogFormat.TrainerState, format);
        Assert.Equal(2, records.Count);
        Assert.Equal(new StepRecord(10, 2.5, null, 5e-05, 3.0) { Epoch = 0.5 }, records[0]);
        Assert.Equal(new StepRecord(20, 2.0, 2.2, 4e-05, 2.0) { Epoch = 1.0 }, records[1]);
    }

    [Fact]
    public void ReadRecords_PythonJsonWithBareNaNAndInfinity_ReadsThemAsValues()
    {
        const string state = """
            {"log_history": [
              {"loss": 2.5, "grad_norm": Infinity, "step": 10, "note": "NaN stays a string"},
              {"loss": NaN, "grad_norm": -Infinity, "step": 20}
            ]}
            """;

        var records = Read(state);

        Assert.Equal(double.PositiveInfinity, records[0].GradNorm);
        Assert.True(double.IsNaN(records[1].TrainLoss!.Value));
        Assert.Equal(double.NegativeInfinity, records[1].GradNorm);
    }

    [Fact]
    public void ReadRecords_JsonLinesFromPythonWithNaN_ReadsIt()
    {
        var records = Read("{\"step\": 0, \"loss\": 2.0}\n{\"step\": 1, \"loss\": NaN}\n");

        Assert.True(double.IsNaN(records[1].TrainLoss!.Value));
    }

    [Fact]
    public void Open_JsonWithoutLogHistory_SaysWhatIsExpected()
    {
        var e = Fails("{\n \"best_metric\": 1\n}\n");

        Assert.Contains("'log_history'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_BrokenJsonDocument_NamesTheLine()
    {
        var e = Fails("{\n \"log_history\": [\n  {\"step\": 1,,}\n");

        Assert.Equal(3, e.Line);
    }
}
