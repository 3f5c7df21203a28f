using System.Globalization;
using LrDoctor.Core.Detectors;
using LrDoctor.Core.Records;
using LrDoctor.Core.Runs;

namespace LrDoctor.Cli;

/// <summary>Writes a run's steps as the CSV that <c>lrdoctor diagnose</c> reads: <c>step,train_loss,val_loss,lr,grad_norm,epoch</c> plus extra columns.</summary>
/// <remarks>Missing values are empty cells; non-finite values are written <c>nan</c>, <c>inf</c>, <c>-inf</c>, which the reader takes as values.</remarks>
internal sealed class DiagnoseCsvSink : IRunSink
{
    /// <summary>The header line.</summary>
    public const string Header = "step,train_loss,val_loss,lr,grad_norm,epoch,val_accuracy,momentum,step_seconds";

    private readonly TextWriter _writer;

    /// <summary>Initializes a new instance of the <see cref="DiagnoseCsvSink"/> class and writes the header.</summary>
    /// <param name="writer">The destination; the caller disposes it.</param>
    public DiagnoseCsvSink(TextWriter writer)
    {
        _writer = writer;
        _writer.WriteLine(Header);
    }

    /// <inheritdoc/>
    public void OnStep(in StepRecord record)
    {
        _writer.Write(record.Step.ToString(CultureInfo.InvariantCulture));
        foreach (double? value in (ReadOnlySpan<double?>)[record.TrainLoss, record.ValLoss, record.Lr, record.GradNorm, record.Epoch, record.ValAccuracy, record.Momentum, record.StepSeconds])
        {
            _writer.Write(',');
            _writer.Write(Format(value));
        }

        _writer.WriteLine();
    }

    /// <inheritdoc/>
    public void OnFinding(Finding finding)
    {
    }

    /// <inheritdoc/>
    public void OnEvent(RunEvent runEvent)
    {
    }

    /// <summary>Formats a cell: empty when missing, <c>nan</c>/<c>inf</c>/<c>-inf</c> when non-finite, else round-trip invariant.</summary>
    public static string Format(double? value) => value switch
    {
        null => "",
        double v when double.IsNaN(v) => "nan",
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        double v => v.ToString("R", CultureInfo.InvariantCulture),
    };
}
