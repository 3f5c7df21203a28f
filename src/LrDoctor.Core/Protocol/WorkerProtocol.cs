using System.Text.Json;
using LrDoctor.Core.Json;

namespace LrDoctor.Core.Protocol;

/// <summary>The JSON Lines encoding of the worker protocol: one object per line, <see cref="LrDoctorJson.Options"/>.</summary>
public static class WorkerProtocol
{
    /// <summary>Encodes a message as one line (without the newline).</summary>
    public static string Encode(WorkerMessage message) => JsonSerializer.Serialize(message, LrDoctorJson.Options);

    /// <summary>Encodes an instruction as one line (without the newline).</summary>
    public static string Encode(WorkerInstruction instruction) => JsonSerializer.Serialize(instruction, LrDoctorJson.Options);

    /// <summary>Decodes a message line.</summary>
    /// <exception cref="SpecException">The line is not a message.</exception>
    public static WorkerMessage DecodeMessage(string line) => Decode<WorkerMessage>(line, "worker message");

    /// <summary>Decodes an instruction line.</summary>
    /// <exception cref="SpecException">The line is not an instruction.</exception>
    public static WorkerInstruction DecodeInstruction(string line) => Decode<WorkerInstruction>(line, "worker instruction");

    private static T Decode<T>(string line, string what)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(line, LrDoctorJson.Options) ?? throw new SpecException(what, "null");
        }
        catch (JsonException e)
        {
            throw new SpecException(string.IsNullOrEmpty(e.Path) ? what : e.Path, e.Message);
        }
    }
}
