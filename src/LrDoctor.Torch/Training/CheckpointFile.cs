using System.Text.Json;
using LrDoctor.Core.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace LrDoctor.Torch.Training;

/// <summary>The disk checkpoint format: a magic line, the scalar state as JSON, the parameters, the optimizer state and libtorch's RNG state.</summary>
/// <remarks>Written to a temporary file and moved into place, so a crash mid-write never leaves a torn checkpoint.</remarks>
internal static class CheckpointFile
{
    private const string Magic = "LRDOCTOR-CHECKPOINT-1";

    /// <summary>Writes a checkpoint.</summary>
    public static void Write(string path, CheckpointState state, TrainingSetup setup)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        string temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(state, LrDoctorJson.Options));
            writer.Write(setup.Parameters.Count);
            foreach (var p in setup.Parameters)
            {
                p.Save(writer);
            }

            setup.Optimizer.save_state_dict(writer);
            using var rng = get_rng_state();
            rng.Save(writer);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a checkpoint into the setup and returns its scalar state.</summary>
    /// <exception cref="InvalidDataException">Not a checkpoint, or one of another job or model.</exception>
    public static CheckpointState Read(string path, TrainingSetup setup)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        string magic;
        try
        {
            magic = reader.ReadString();
        }
        catch (EndOfStreamException)
        {
            magic = "";
        }

        if (magic != Magic)
        {
            throw new InvalidDataException($"{path}: not an LrDoctor checkpoint");
        }

        var state = JsonSerializer.Deserialize<CheckpointState>(reader.ReadString(), LrDoctorJson.Options)
            ?? throw new InvalidDataException($"{path}: empty checkpoint state");
        if (state.Job != setup.Job.Name)
        {
            throw new InvalidDataException($"{path}: checkpoint of job '{state.Job}', not '{setup.Job.Name}'");
        }

        int count = reader.ReadInt32();
        if (count != setup.Parameters.Count)
        {
            throw new InvalidDataException($"{path}: {count} parameter tensors, the model has {setup.Parameters.Count}");
        }

        using (no_grad())
        {
            foreach (var p in setup.Parameters)
            {
                TensorExtensionMethods.Load(p, reader);
            }
        }

        setup.Optimizer.load_state_dict(reader);
        using var rng = get_rng_state();
        TensorExtensionMethods.Load(rng, reader);
        set_rng_state(rng);
        setup.Batches.Position = state.DataPosition;
        return state;
    }
}
