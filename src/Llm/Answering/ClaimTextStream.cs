using System.Globalization;
using System.Text;

namespace GraphRag.Llm.Answering;

/// <summary>
/// Reads a structured answer (<c>{"claims":[{"sentence":"…","citations":[…]}],…}</c>) as it streams in and gives back
/// the text of its sentences as they arrive, so a client can show the answer being written rather than JSON. A small
/// scanner over the JSON text: it tracks strings, escapes and which key a string value belongs to; it does not validate.
/// </summary>
internal sealed class ClaimTextStream
{
    private const string SentenceKey = "sentence";

    private readonly StringBuilder _current = new();
    private bool _inString;
    private bool _escape;
    private string? _unicode;
    private string? _lastString;
    private bool _valueIsSentence;
    private bool _inSentence;
    private int _sentences;

    /// <summary>The sentence text in <paramref name="delta"/> (empty when it holds none).</summary>
    public string Append(string delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var output = new StringBuilder();
        foreach (var c in delta)
        {
            if (!_inString)
            {
                switch (c)
                {
                    case '"':
                        _inString = true;
                        _current.Clear();
                        _inSentence = _valueIsSentence;
                        if (_inSentence && _sentences++ > 0)
                        {
                            output.Append(' ');
                        }

                        break;
                    case ':':
                        _valueIsSentence = _lastString == SentenceKey;
                        break;
                    case ',' or '{' or '}' or '[' or ']':
                        _valueIsSentence = false;
                        break;
                }

                continue;
            }

            if (_unicode is not null)
            {
                _unicode += c;
                if (_unicode.Length == 4)
                {
                    var decoded = int.TryParse(_unicode, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code) ? (char)code : '\uFFFD';
                    Emit(decoded, output);
                    _unicode = null;
                }

                continue;
            }

            if (_escape)
            {
                _escape = false;
                if (c == 'u')
                {
                    _unicode = string.Empty;
                    continue;
                }

                Emit(c switch { 'n' => '\n', 't' => '\t', 'r' => '\r', 'b' => '\b', 'f' => '\f', _ => c }, output);
                continue;
            }

            switch (c)
            {
                case '\\':
                    _escape = true;
                    break;
                case '"':
                    _inString = false;
                    _lastString = _current.ToString();
                    _valueIsSentence = false;
                    _inSentence = false;
                    break;
                default:
                    Emit(c, output);
                    break;
            }
        }

        return output.ToString();
    }

    private void Emit(char c, StringBuilder output)
    {
        if (_current.Length <= SentenceKey.Length)
        {
            _current.Append(c);
        }

        if (_inSentence)
        {
            output.Append(c);
        }
    }
}
