using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using CheckpointAudit.Catalog;

namespace CheckpointAudit.Cli.Report;

/// <summary>
/// The parts of a rule's doc page (embedded in the tool) that the report quotes: the data impact, how to
/// verify, the documented fix and the main trade-off. The pages are the single source of that text.
/// </summary>
internal sealed partial class RuleGuide
{
    private static readonly ConcurrentDictionary<string, RuleGuide> Cache = new();

    private readonly Dictionary<string, string> _sections;

    private RuleGuide(Dictionary<string, string> sections) => _sections = sections;

    public static RuleGuide For(RuleDefinition rule) => Cache.GetOrAdd(rule.Id, id =>
    {
        using var stream = typeof(RuleGuide).Assembly.GetManifestResourceStream($"rules/{id}.md");
        var text = stream is null ? string.Empty : new StreamReader(stream).ReadToEnd().Replace("\r\n", "\n");
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in Section().Matches(text))
        {
            sections[match.Groups["name"].Value.Trim()] = match.Groups["body"].Value.Trim();
        }

        return new RuleGuide(sections);
    });

    /// <summary>The first paragraph of "The problem", at most three sentences.</summary>
    public string Problem => Sentences(FirstParagraph(Get("The problem")), 3);

    /// <summary>The first paragraph of "Data impact", at most three sentences.</summary>
    public string Impact => Sentences(FirstParagraph(Get("Data impact")), 3);

    /// <summary>The numbered steps of "How to verify" (at most four), or its first paragraph.</summary>
    public IReadOnlyList<string> VerifySteps
    {
        get
        {
            var body = Get("How to verify");
            var steps = NumberedItem().Matches(body).Select(m => Flatten(m.Groups[1].Value)).Take(4).ToList();
            return steps.Count > 0 ? steps : [Sentences(FirstParagraph(body), 3)];
        }
    }

    /// <summary>The first paragraph of "The fix".</summary>
    public string FixSummary => Sentences(FirstParagraph(Get("The fix")), 3);

    /// <summary>The page's before/after code, when it shows both.</summary>
    public (string Before, string After)? FixExample
    {
        get
        {
            var blocks = CodeBlock().Matches(Get("The fix")).Select(m => (Lead: m.Groups["lead"].Value, Code: m.Groups["code"].Value.TrimEnd())).ToList();
            var before = blocks.FindIndex(b => b.Lead.Contains("Before", StringComparison.OrdinalIgnoreCase));
            if (before >= 0 && before + 1 < blocks.Count)
            {
                return (blocks[before].Code, blocks[before + 1].Code);
            }

            return blocks.Count > 0 ? (string.Empty, blocks[0].Code) : null;
        }
    }

    /// <summary>The first bullet of "Trade-offs" (or its first paragraph).</summary>
    public string TradeOff
    {
        get
        {
            var body = Get("Trade-offs");
            var bullet = Bullet().Match(body);
            return Sentences(bullet.Success ? Flatten(bullet.Groups[1].Value) : FirstParagraph(body), 2);
        }
    }

    private string Get(string name) => _sections.TryGetValue(name, out var body) ? body : string.Empty;

    private static string FirstParagraph(string body)
        => Flatten(body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(p => !p.TrimStart().StartsWith("```", StringComparison.Ordinal)) ?? string.Empty);

    private static string Flatten(string text) => Regex.Replace(text, @"\s+", " ").Trim();

    /// <summary>The first <paramref name="count"/> sentences (a sentence ends with ". " before a capital or a backtick).</summary>
    private static string Sentences(string text, int count)
    {
        var ends = SentenceEnd().Matches(text).Select(m => m.Index + 1).ToList();
        return ends.Count >= count ? text[..ends[count - 1]] : text;
    }

    [GeneratedRegex(@"^## (?<name>[^\n]+)\n(?<body>.*?)(?=^## |\z)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Section();

    [GeneratedRegex(@"^\d+\.\s+(.+?)(?=^\d+\.\s|^\s*$|\z)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex NumberedItem();

    [GeneratedRegex(@"^- (.+?)(?=^- |^\s*$|\z)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Bullet();

    [GeneratedRegex(@"(?<lead>[^\n]*)\n+```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"[.!?](?=\s+[A-Z`*(])")]
    private static partial Regex SentenceEnd();
}
