using System.Text;
using LrDoctor.Core.Logs;
using LrDoctor.Core.Records;

namespace LrDoctor.Core.Tests.Logs;

/// <summary>Reads a log from its text or bytes the way the CLI does (through <see cref="TrainingLog.Open(Stream)"/>).</summary>
internal static class LogText
{
    public static (TrainingLog Log, List<StepRecord> Records) Read(string text) => Read(Encoding.UTF8.GetBytes(text));

    public static (TrainingLog Log, List<StepRecord> Records) Read(byte[] bytes, bool keepLatestAttempt = false)
    {
        var log = TrainingLog.Open(new MemoryStream(bytes));
        var records = log.ReadRecords(keepLatestAttempt).ToList();
        return (log, records);
    }

    public static LogFormatException Refusal(string text) => Refusal(Encoding.UTF8.GetBytes(text));

    public static LogFormatException Refusal(byte[] bytes) =>
        Assert.Throws<LogFormatException>(() => TrainingLog.Open(new MemoryStream(bytes)).ReadRecords().ToList());
}
