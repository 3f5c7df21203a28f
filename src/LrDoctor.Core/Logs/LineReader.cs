using System.Runtime.CompilerServices;

namespace LrDoctor.Core.Logs;

/// <summary>Reads lines from a <see cref="TextReader"/> as spans over one growing buffer, so a line costs no allocation.</summary>
internal sealed class LineReader
{
    private readonly TextReader _reader;
    private char[] _buffer = new char[64 * 1024];
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>Initializes a new instance of the <see cref="LineReader"/> class.</summary>
    /// <param name="reader">The text to read.</param>
    public LineReader(TextReader reader)
    {
        _reader = reader;
    }

    /// <summary>Gets the 1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Reads the next line without its terminator (<c>\n</c> or <c>\r\n</c>); the span is valid until the next call.</summary>
    /// <param name="line">The line.</param>
    /// <returns><see langword="false"/> at the end of the input.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf('\n');
            if (newline >= 0)
            {
                line = TrimCarriageReturn(_buffer.AsSpan(_start, newline));
                _start += newline + 1;
                LineNumber++;
                return true;
            }

            if (_eof)
            {
                if (_start < _end)
                {
                    line = TrimCarriageReturn(_buffer.AsSpan(_start, _end - _start));
                    _start = _end;
                    LineNumber++;
                    return true;
                }

                line = default;
                return false;
            }

            Fill();
        }
    }

    /// <summary>Returns everything not yet read as one string.</summary>
    /// <returns>The rest of the input.</returns>
    public string ReadToEnd()
    {
        string rest = new(_buffer, _start, _end - _start);
        _start = _end;
        return rest + _reader.ReadToEnd();
    }

    private static ReadOnlySpan<char> TrimCarriageReturn(ReadOnlySpan<char> line) =>
        line.Length > 0 && line[^1] == '\r' ? line[..^1] : line;

    private void Fill()
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int read = _reader.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }
        else
        {
            _end += read;
        }
    }
}
