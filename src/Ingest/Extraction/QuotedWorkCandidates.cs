using System.Collections.Immutable;
using GraphRag.Graph.Model;

namespace GraphRag.Ingest.Extraction;

/// <summary>Candidates for titles of works written in quotes: "Adolescence", ``Nevermind''.</summary>
internal sealed class QuotedWorkCandidates(TokenizedDocument document, CandidateCollector found)
{
    private readonly ImmutableArray<Token> tokens = document.Tokens;

    public void Find(int sentence)
    {
        var (start, end) = document.SentenceTokens[sentence];
        var open = -1;
        var openChar = '\0';
        for (var i = start; i < end; i++)
        {
            var token = tokens[i];
            if (token.Kind != TokenKind.Punctuation)
            {
                continue;
            }

            var c = document.Text[token.Start];
            var isPair = token.Length == 2;
            if (open < 0)
            {
                if (c == '\u201C' || (c == '`' && isPair) || (c == '"' && !isPair))
                {
                    open = i;
                    openChar = c;
                }
            }
            else
            {
                var closes = openChar switch
                {
                    '\u201C' => c == '\u201D',
                    '`' => c == '\'' && isPair,
                    _ => c == '"' && !isPair,
                };
                if (closes)
                {
                    TryQuotedWork(open + 1, i, sentence);
                    open = -1;
                }
            }
        }
    }

    private void TryQuotedWork(int start, int end, int sentence)
    {
        // Trailing punctuation inside the quotes ("Adolescence in 1904.") is not part of the title.
        while (end > start && tokens[end - 1].Kind == TokenKind.Punctuation && document.CharAt(end - 1) is '.' or ',' or '!' or '?' or ';' or ':')
        {
            end--;
        }

        if (end <= start || tokens[start].Kind is not (TokenKind.Word or TokenKind.Number) || found.AnyCovered(start, end))
        {
            return;
        }

        var words = 0;
        var content = 0;
        var capitalised = 0;
        for (var i = start; i < end; i++)
        {
            var token = tokens[i];
            if (token.Kind is TokenKind.Word or TokenKind.Number)
            {
                words++;
                if (token.Kind == TokenKind.Word && (Lexicon.Connectors.Contains(token.Key) || Lexicon.FunctionWords.Contains(token.Key)) && !token.IsNameShaped)
                {
                    continue;
                }

                content++;
                if (token.IsNameShaped || token.Kind == TokenKind.Number)
                {
                    capitalised++;
                }
            }
        }

        var firstShaped = tokens[start].IsNameShaped || tokens[start].Kind == TokenKind.Number;
        if (words is 0 or > 12 || !firstShaped || capitalised * 10 < content * 6)
        {
            return;
        }

        // A nickname inside a name (Nicholas Lofton "Nick" Hexum) is not a work.
        if (words == 1 && start >= 2 && tokens[start - 2].IsNameShaped && end + 1 < tokens.Length && tokens[end + 1].IsNameShaped)
        {
            return;
        }

        var candidate = found.Add(start, end, sentence, CandidateKind.Quoted);
        candidate.Scores.Add(EntityTypes.Work, 3);
    }
}
