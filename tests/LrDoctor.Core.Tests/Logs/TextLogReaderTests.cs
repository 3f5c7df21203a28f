using LrDoctor.Core.Logs;

namespace LrDoctor.Core.Tests.Logs;

/// <summary>Text logs as people have them: HF Trainer stdout, Python logging, PyTorch examples, Keras stdout, key: value lines.</summary>
public sealed class TextLogReaderTests
{
    [Fact]
    public void ReadRecords_HfTrainerStdout_TakesTheDictsInLineOrderMergesEvalAndSkipsTheSummary()
    {
        string log = """
            nohup: ignoring input
            ***** Running training *****
              Num examples = 1000
             10%|█         | 10/100 [00:02<00:18,  4.95it/s]
            {'loss': 0.61, 'grad_norm': 3.4, 'learning_rate': 7e-05, 'epoch': 0.01}
            {'loss': 0.55, 'grad_norm': 2.9, 'learning_rate': 6.5e-05, 'epoch': 0.02}
            {'eval_loss': 0.58, 'eval_runtime': 1.2, 'eval_samples_per_second': 80.1, 'epoch': 0.02}
            {'loss': nan, 'grad_norm': inf, 'learning_rate': 6e-05, 'epoch': 0.03}
            {'train_runtime': 20.1, 'train_samples_per_second': 49.7, 'train_loss': 0.57, 'epoch': 0.03}
            """;

        var (read, records) = LogText.Read(log);

        Assert.Equal(LogFormat.Text, read.Format);
        Assert.Equal(LogStepSource.LineOrder, read.StepSource);
        Assert.Equal([1L, 2, 3], records.Select(r => r.Step));
        Assert.Equal(0.61, records[0].TrainLoss);
        Assert.Equal(7e-05, records[0].Lr);
        Assert.Equal(3.4, records[0].GradNorm);
        Assert.Equal(0.58, records[1].ValLoss);
        Assert.Equal(0.55, records[1].TrainLoss);
        Assert.True(double.IsNaN(records[2].TrainLoss!.Value));
        Assert.True(double.IsPositiveInfinity(records[2].GradNorm!.Value));
    }

    [Fact]
    public void ReadRecords_PythonLoggingWithAStepThatRestartsEachEpoch_BuildsAGlobalStep()
    {
        string log = """
            2024-03-01 10:00:00,001 - INFO - Epoch 1 | Step 0/6501 | loss 2.31 | lr 1.0e-04
            2024-03-01 10:00:10,001 - INFO - Epoch 1 | Step 3000/6501 | loss 1.90 | lr 1.0e-04
            2024-03-01 10:00:20,001 - INFO - Epoch 1 | Step 6000/6501 | loss 1.70 | lr 1.0e-04
            2024-03-01 10:00:30,001 - INFO - Epoch 2 | Step 0/6501 | loss 1.65 | lr 9.0e-05
            2024-03-01 10:00:40,001 - INFO - Epoch 2 | Step 3000/6501 | loss 1.55 | lr 9.0e-05
            """;

        var (read, records) = LogText.Read(log);

        Assert.Equal(LogStepSource.BatchCounter, read.StepSource);
        Assert.Equal([0L, 3000, 6000, 6501, 9501], records.Select(r => r.Step));
        Assert.Equal([2.31, 1.90, 1.70, 1.65, 1.55], records.Select(r => r.TrainLoss!.Value));
        Assert.Equal(9e-05, records[3].Lr);
        Assert.Equal(2, records[3].Epoch);
    }

    [Fact]
    public void ReadRecords_PyTorchWordLanguageModel_CountsBatchesAcrossEpochsAndTakesTheValidLoss()
    {
        string log = """
            | epoch   1 |   200/ 2983 batches | lr 20.00 | ms/batch 13.88 | loss  7.63 | ppl  2064.83
            | epoch   1 |   400/ 2983 batches | lr 20.00 | ms/batch 12.40 | loss  6.85 | ppl   944.27
            -----------------------------------------------------------------------------------------
            | end of epoch   1 | time: 45.32s | valid loss  6.12 | valid ppl   454.78
            -----------------------------------------------------------------------------------------
            | epoch   2 |   200/ 2983 batches | lr 20.00 | ms/batch 13.01 | loss  6.01 | ppl   407.48
            =========================================================================================
            | End of training | test loss  5.99 | test ppl   399.37
            """;

        var (read, records) = LogText.Read(log);

        Assert.Equal(LogStepSource.BatchCounter, read.StepSource);
        Assert.Equal([200L, 400, 3183], records.Select(r => r.Step));
        Assert.Equal(20.0, records[0].Lr);
        Assert.Equal(6.12, records[1].ValLoss);
        Assert.Equal(7.63, records[0].TrainLoss);
        Assert.Equal(5.99, records[2].ValLoss);
        Assert.Equal(6.01, records[2].TrainLoss);
    }

    [Theory]
    [InlineData("step 10 loss 0.5 lr 0.001 grad_norm 1.5\nstep 20 loss 0.4 lr 0.001 grad_norm 1.2\n")]
    [InlineData("step: 10, loss: 0.5, lr: 0.001, grad_norm: 1.5\nstep: 20, loss: 0.4, lr: 0.001, grad_norm: 1.2\n")]
    [InlineData("step=10 loss=0.5 lr=0.001 grad_norm=1.5\nstep=20 loss=0.4 lr=0.001 grad_norm=1.2\n")]
    [InlineData("| step 10 | loss 0.5 | lr 1e-3 | grad_norm 1.5 |\n| step 20 | loss 0.4 | lr 1e-3 | grad_norm 1.2 |\n")]
    [InlineData("[train] global step 10: train loss 0.5, learning rate 0.001, grad norm 1.5\n[train] global step 20: train loss 0.4, learning rate 0.001, grad norm 1.2\n")]
    public void ReadRecords_KeyValueFieldsInEveryStyle_ReadTheSameRecords(string log)
    {
        var (read, records) = LogText.Read(log);

        Assert.Equal(LogStepSource.Logged, read.StepSource);
        Assert.Equal([10L, 20], records.Select(r => r.Step));
        Assert.Equal([0.5, 0.4], records.Select(r => r.TrainLoss!.Value));
        Assert.Equal([0.001, 0.001], records.Select(r => r.Lr!.Value));
        Assert.Equal([1.5, 1.2], records.Select(r => r.GradNorm!.Value));
    }

    [Fact]
    public void ReadRecords_KerasStdout_TakesTheEpochFromItsOwnLineAndCountsEveryEpochsBatches()
    {
        string log = """
            Epoch 1/3
            1875/1875 [==============================] - 5s 3ms/step - loss: 0.2997 - accuracy: 0.9131 - val_loss: 0.1403 - val_accuracy: 0.9584
            Epoch 2/3
            1875/1875 [==============================] - 4s 2ms/step - loss: 0.1421 - accuracy: 0.9577 - val_loss: 0.1101 - val_accuracy: 0.9671
            Epoch 3/3
            1875/1875 [==============================] - 4s 2ms/step - loss: 0.1062 - accuracy: 0.9678 - val_loss: 0.0912 - val_accuracy: 0.9720
            """;

        var (_, records) = LogText.Read(log);

        Assert.Equal([1875L, 3750, 5625], records.Select(r => r.Step));
        Assert.Equal([0.2997, 0.1421, 0.1062], records.Select(r => r.TrainLoss!.Value));
        Assert.Equal([0.1403, 0.1101, 0.0912], records.Select(r => r.ValLoss!.Value));
        Assert.Equal([1.0, 2, 3], records.Select(r => r.Epoch!.Value));
    }

    [Fact]
    public void ReadRecords_PyTorchMnistExample_TakesTheTestSetLossAsValidation()
    {
        string log = """
            Train Epoch: 1 [0/60000 (0%)]	Loss: 2.300039
            Train Epoch: 1 [30000/60000 (50%)]	Loss: 0.215427

            Test set: Average loss: 0.0523, Accuracy: 9832/10000 (98%)

            Train Epoch: 2 [0/60000 (0%)]	Loss: 0.098312
            """;

        var (_, records) = LogText.Read(log);

        Assert.Equal([0L, 30000, 60000], records.Select(r => r.Step));
        Assert.Equal(0.0523, records[1].ValLoss);
        Assert.Equal(1, records[0].Epoch);
        Assert.Equal(2, records[2].Epoch);
    }

    [Fact]
    public void ReadRecords_OneLinePerEpochWithoutStep_CountsEpochs()
    {
        string log = "epoch 0 train_loss 2.0 val_loss 2.1\nepoch 1 train_loss 1.5 val_loss 1.7\nepoch 2 train_loss 1.2 val_loss 1.5\n";

        var (read, records) = LogText.Read(log);

        Assert.Equal(LogStepSource.Epoch, read.StepSource);
        Assert.Equal([0L, 1, 2], records.Select(r => r.Step));
    }

    [Fact]
    public void ReadRecords_TqdmBarsSeparatedByCarriageReturns_ReadEachUpdate()
    {
        string log = "Epoch 0:  10%|█         | 10/100 [00:01<00:09, 10.0it/s, loss=0.9, v_num=0]\rEpoch 0:  20%|██        | 20/100 [00:02<00:08, 10.0it/s, loss=0.8, v_num=0]\n";

        var (_, records) = LogText.Read(log);

        Assert.Equal([10L, 20], records.Select(r => r.Step));
        Assert.Equal([0.9, 0.8], records.Select(r => r.TrainLoss!.Value));
    }

    [Fact]
    public void ReadRecords_WandbSummaryLines_AreNotSteps()
    {
        string log = "step 1 loss 0.9\nstep 2 loss 0.8\nwandb: Run summary:\nwandb:   loss 0.8\nwandb:   step 2\n";

        var (_, records) = LogText.Read(log);

        Assert.Equal(2, records.Count);
    }

    [Fact]
    public void Open_TextWithoutAnyLoss_RefusesWithoutEchoingTheFileAndSaysWhatIsRead()
    {
        var e = LogText.Refusal("nohup: ignoring input\nwandb: Currently logged in as: secret-user\nhello 12\n");

        Assert.DoesNotContain("nohup", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-user", e.Message, StringComparison.Ordinal);
        Assert.Contains("no line names a training loss", e.Message, StringComparison.Ordinal);
        Assert.Contains("LrDoctor reads:", e.Message, StringComparison.Ordinal);
        Assert.Contains("TensorBoard", e.Message, StringComparison.Ordinal);
    }
}
