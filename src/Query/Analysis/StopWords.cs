using System.Collections.Frozen;

namespace GraphRag.Query.Analysis;

/// <summary>English function words and question words that carry no lexical evidence.</summary>
public static class StopWords
{
    public static FrozenSet<string> English { get; } = new[]
    {
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
        "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have", "having", "he",
        "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its",
        "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once",
        "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some",
        "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this",
        "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where",
        "which", "while", "who", "whom", "whose", "why", "will", "with", "would", "you", "your", "yours", "yourself",
        "yourselves", "s", "t", "don", "ll", "ve", "re", "d", "m", "o", "y", "ain", "isn", "aren", "wasn", "weren",
        "hasn", "haven", "hadn", "doesn", "didn", "won", "wouldn", "shan", "shouldn", "mustn", "mightn", "needn",
        "couldn", "name", "named", "many", "much", "one", "ones", "tell", "give", "find", "list", "known", "called",
        "yes", "whether", "either", "neither", "same", "did", "does", "got", "get",
    }.ToFrozenSet(StringComparer.Ordinal);
}
