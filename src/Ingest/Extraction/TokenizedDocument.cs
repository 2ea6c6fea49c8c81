using System.Collections.Immutable;
using System.Runtime.InteropServices;
using GraphRag.Graph.Model;
using GraphRag.Graph.Text;

namespace GraphRag.Ingest.Extraction;

/// <summary>
/// A document as the extraction passes read it: the text, its tokens and sentences, which tokens each sentence holds,
/// where each chunk lies, and the word statistics the name rules consult. Everything here follows from the text
/// alone, before any extraction decision; it is built once per document and never changes, so every pass can read
/// it without caring what the others did.
/// </summary>
internal sealed class TokenizedDocument
{
    private readonly ImmutableArray<int> firstWords;

    private TokenizedDocument(Document document, IReadOnlyList<Chunk> chunks)
    {
        Id = document.Id;
        Title = document.Title;
        Text = document.Text;
        Chunks = new ChunkLocator(chunks);
        Tokens = ImmutableCollectionsMarshal.AsImmutableArray(Tokenizer.Tokenize(Text).ToArray());
        Sentences = SentenceSplitter.Split(Text);
        SentenceTokens = MapSentences(Tokens, Sentences);
        firstWords = FindFirstWords(Tokens, SentenceTokens);
        (LowerWords, MidSentenceNames) = CollectWordStatistics();
        HasPersonalPronoun = FindPersonalPronoun();
    }

    public string Id { get; }

    public string Title { get; }

    public string Text { get; }

    public ChunkLocator Chunks { get; }

    public ImmutableArray<Token> Tokens { get; }

    public IReadOnlyList<SentenceSpan> Sentences { get; }

    /// <summary>Per sentence, the tokens it holds: [Start, End) into <see cref="Tokens"/>.</summary>
    public ImmutableArray<(int Start, int End)> SentenceTokens { get; }

    /// <summary>Keys of the words the document writes in lower case somewhere: a capitalised one is then likely common.</summary>
    public IReadOnlySet<string> LowerWords { get; }

    /// <summary>Keys of name-shaped words seen where capitals are not forced: not first in a sentence or after a quote.</summary>
    public IReadOnlySet<string> MidSentenceNames { get; }

    /// <summary>Some sentence opens with "he", "she", "his" or "her": the document is likely about a person.</summary>
    public bool HasPersonalPronoun { get; }

    public static TokenizedDocument Create(Document document, IReadOnlyList<Chunk> chunks) => new(document, chunks);

    /// <summary>The first word or number of a sentence; the sentence's end token when it has none.</summary>
    public int FirstWord(int sentence) => firstWords[sentence];

    public string Slice(int start, int end) => Text.Substring(start, end - start);

    /// <summary>The end of a name that stops at <paramref name="stop"/>, taking in a legal form written right after it ("… Analytics S.L.").</summary>
    public int AfterLegalForm(int stop, int end) =>
        stop > 0 && stop < end && Tokens[stop - 1].IsNameShaped && Lexicon.IsLegalForm(Tokens[stop]) ? stop + 1 : stop;

    public char CharAt(int token) => Text[Tokens[token].Start];

    public bool IsPunctuation(int token, char c) =>
        token >= 0 && token < Tokens.Length && Tokens[token].Kind == TokenKind.Punctuation && Tokens[token].Length == 1 && Text[Tokens[token].Start] == c;

    /// <summary>The first token that ends after <paramref name="position"/>.</summary>
    public int LowerBoundToken(int position)
    {
        int lo = 0, hi = Tokens.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Tokens[mid].End <= position)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>The sentence that holds a token; -1 for a token between sentences.</summary>
    public int SentenceOfToken(int token)
    {
        int lo = 0, hi = SentenceTokens.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var (start, end) = SentenceTokens[mid];
            if (token < start)
            {
                hi = mid - 1;
            }
            else if (token >= end)
            {
                lo = mid + 1;
            }
            else
            {
                return mid;
            }
        }

        return -1;
    }

    private static ImmutableArray<(int Start, int End)> MapSentences(ImmutableArray<Token> tokens, IReadOnlyList<SentenceSpan> sentences)
    {
        var map = new (int Start, int End)[sentences.Count];
        var t = 0;
        for (var s = 0; s < sentences.Count; s++)
        {
            var sentence = sentences[s];
            while (t < tokens.Length && tokens[t].Start < sentence.Start)
            {
                t++;
            }

            var first = t;
            while (t < tokens.Length && tokens[t].Start < sentence.End)
            {
                t++;
            }

            map[s] = (first, t);
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(map);
    }

    private static ImmutableArray<int> FindFirstWords(ImmutableArray<Token> tokens, ImmutableArray<(int Start, int End)> sentenceTokens)
    {
        var first = new int[sentenceTokens.Length];
        for (var s = 0; s < first.Length; s++)
        {
            var (start, end) = sentenceTokens[s];
            first[s] = end;
            for (var i = start; i < end; i++)
            {
                if (tokens[i].Kind is TokenKind.Word or TokenKind.Number)
                {
                    first[s] = i;
                    break;
                }
            }
        }

        return ImmutableCollectionsMarshal.AsImmutableArray(first);
    }

    private (HashSet<string> Lower, HashSet<string> MidSentence) CollectWordStatistics()
    {
        var lower = new HashSet<string>(StringComparer.Ordinal);
        var midSentence = new HashSet<string>(StringComparer.Ordinal);
        for (var s = 0; s < SentenceTokens.Length; s++)
        {
            var (start, end) = SentenceTokens[s];
            var first = FirstWord(s);
            for (var i = start; i < end; i++)
            {
                var token = Tokens[i];
                if (token.Kind != TokenKind.Word)
                {
                    continue;
                }

                if (token.Is(TokenShape.Lower))
                {
                    lower.Add(token.Key);
                }
                else if (i != first && token.IsNameShaped && !IsAfterOpeningQuote(i))
                {
                    midSentence.Add(token.Key);
                }
            }
        }

        return (lower, midSentence);
    }

    private bool IsAfterOpeningQuote(int i) =>
        i > 0 && Tokens[i - 1].Kind == TokenKind.Punctuation && Text[Tokens[i - 1].Start] is '"' or '\u201C' or '`' or '(' or ':';

    private bool FindPersonalPronoun()
    {
        for (var s = 0; s < SentenceTokens.Length; s++)
        {
            var first = FirstWord(s);
            if (first < SentenceTokens[s].End && Tokens[first].Key is "he" or "she" or "his" or "her")
            {
                return true;
            }
        }

        return false;
    }
}
