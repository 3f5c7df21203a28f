using System.Buffers.Binary;
using System.Numerics;

namespace LrDoctor.Core.Logs.TensorBoard;

/// <summary>The checksum of TFRecord framing: CRC-32C (Castagnoli), masked as TensorFlow masks it.</summary>
/// <remarks>
/// TFRecord stores <c>((crc &gt;&gt; 15) | (crc &lt;&lt; 17)) + 0xa282ead8</c> because a CRC of data that itself holds CRCs
/// is weak. <see cref="BitOperations.Crc32C(uint, ulong)"/> is the hardware instruction where there is one.
/// </remarks>
internal static class MaskedCrc32C
{
    private const uint MaskDelta = 0xa282ead8;

    /// <summary>Computes the plain CRC-32C of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The CRC.</returns>
    public static uint Crc(ReadOnlySpan<byte> data)
    {
        uint crc = uint.MaxValue;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }

    /// <summary>Computes the masked CRC-32C that TFRecord stores.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The masked CRC.</returns>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        uint crc = Crc(data);
        return ((crc >> 15) | (crc << 17)) + MaskDelta;
    }
}
