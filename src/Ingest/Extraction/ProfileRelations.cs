using System.Text.RegularExpressions;
using GraphRag.Graph;

namespace GraphRag.Ingest.Extraction;

/// <summary>
/// A domain profile's relations in one sentence: a cue phrase between two adjacent mentions, or a pattern whose
/// source and target groups fall on mentions. Part of the relation pass; adds to its drafts.
/// </summary>
internal sealed class ProfileRelations(TokenizedDocument document, DomainProfile profile, int maxPhraseTokens, RelationDrafts drafts)
{
    public void Add(int sentence, List<ResolvedMention> mentions)
    {
        if (mentions.Count < 2)
        {
            return;
        }

        if (mentions.Exists(static m => m.Candidate.Nested))
        {
            mentions = mentions.FindAll(static m => !m.Candidate.Nested);
        }

        foreach (var pattern in profile.RelationPatterns)
        {
            var definition = pattern.Definition;
            if (definition.Cues.Count > 0)
            {
                for (var i = 0; i + 1 < mentions.Count; i++)
                {
                    var (a, ea) = mentions[i];
                    var (b, eb) = mentions[i + 1];
                    // Overlapping mentions ("12 March 1930" and "1930") have no phrase between them.
                    if (ea == eb || b.Start < a.End || b.TokenStart - a.TokenEnd > maxPhraseTokens)
                    {
                        continue;
                    }

                    var phrase = DomainProfile.NormalizeCue(document.Slice(a.End, b.Start));
                    foreach (var cue in definition.Cues)
                    {
                        if (ContainsWords(phrase, cue))
                        {
                            AddProfileRelation(definition, sentence, ea, eb, document.Slice(a.End, b.Start).Trim());
                            break;
                        }
                    }
                }
            }

            if (pattern.Regex is not null)
            {
                var span = document.Sentences[sentence];
                Match match;
                try
                {
                    match = pattern.Regex.Match(document.Text, span.Start, span.Length);
                    while (match.Success)
                    {
                        var source = match.Groups["source"];
                        var target = match.Groups["target"];
                        var left = MentionAt(mentions, source.Index + source.Length - 1);
                        var right = MentionAt(mentions, target.Index);
                        if (left is { } l && right is { } r && l.Entity != r.Entity)
                        {
                            var (first, second) = l.Candidate.Start <= r.Candidate.Start ? (l.Candidate, r.Candidate) : (r.Candidate, l.Candidate);
                            AddProfileRelation(definition, sentence, l.Entity, r.Entity, document.Slice(first.End, Math.Max(first.End, second.Start)).Trim());
                        }

                        match = match.NextMatch();
                    }
                }
                catch (RegexMatchTimeoutException ex)
                {
                    throw new GraphRagException(
                        $"Domain profile '{profile.Name}' relation pattern for '{definition.Label}' exceeded its "
                        + $"{DomainProfile.Describe(profile.RegexTimeout)} time limit on document {document.Id}.",
                        ex);
                }
            }
        }
    }

    private static ResolvedMention? MentionAt(List<ResolvedMention> mentions, int position)
    {
        foreach (var item in mentions)
        {
            if (item.Candidate.Start <= position && position < item.Candidate.End)
            {
                return item;
            }
        }

        return null;
    }

    private void AddProfileRelation(DomainRelationPattern definition, int sentence, ResolvedEntity left, ResolvedEntity right, string phrase)
    {
        var (source, target) = definition.Reverse ? (right, left) : (left, right);
        if ((definition.SourceType is null || definition.SourceType == source.Type) && (definition.TargetType is null || definition.TargetType == target.Type))
        {
            drafts.Add(source, target, definition.Label, sentence, phrase, 1.0);
        }
    }

    private static bool ContainsWords(string phrase, string cue)
    {
        var index = phrase.IndexOf(cue, StringComparison.Ordinal);
        while (index >= 0)
        {
            var before = index == 0 || !char.IsLetterOrDigit(phrase[index - 1]);
            var after = index + cue.Length == phrase.Length || !char.IsLetterOrDigit(phrase[index + cue.Length]);
            if (before && after)
            {
                return true;
            }

            index = phrase.IndexOf(cue, index + 1, StringComparison.Ordinal);
        }

        return false;
    }
}
