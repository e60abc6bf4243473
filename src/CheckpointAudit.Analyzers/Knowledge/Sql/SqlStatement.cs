using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The little of one SQL statement the Concurrency rules need: its verb, its table, the columns it reads
/// (SELECT) or sets (UPDATE, INSERT) and its WHERE text (SELECT, UPDATE, DELETE). Read with regular expressions from constant
/// command text; what they cannot read is <see cref="SqlVerb.Other"/>, and the rules stay quiet on it.
/// </summary>
internal sealed class SqlStatement
{
    private static readonly Regex Select = new(
        @"^\s*select\s+(?:distinct\s+)?(?<columns>.+?)\s+from\s+(?<table>[\w""\[\]`.]+)(?<rest>.*)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);

    private static readonly Regex Update = new(
        @"^\s*update\s+(?:or\s+\w+\s+)?(?<table>[\w""\[\]`.]+)\s+set\s+(?<set>.+?)(?:\s+where\s+(?<where>.+?))?(?:\s+returning\s+.*)?\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);

    private static readonly Regex Insert = new(
        @"^\s*(?:insert|replace)\s+(?:or\s+\w+\s+)?(?:into\s+)?(?<table>[\w""\[\]`.]+)\s*\((?<columns>[^)]*)\)\s*values\s*\((?<values>.*?)\)(?<rest>.*)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);

    private static readonly Regex Delete = new(
        @"^\s*delete\s+from\s+(?<table>[\w""\[\]`.]+)(?:\s+where\s+(?<where>.+?))?(?:\s+returning\s+.*)?\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);

    private static readonly Regex WhereClause = new(@"\bwhere\b(?<where>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline);

    private static readonly Regex Begin = new(@"^\s*begin\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private SqlStatement(SqlVerb verb, string table, ImmutableArray<string> columns, ImmutableArray<string> values, string where)
    {
        Verb = verb;
        Table = table;
        Columns = columns;
        Values = values;
        Where = where;
    }

    public SqlVerb Verb { get; }

    /// <summary>The table, unquoted and without schema; empty for <see cref="SqlVerb.Other"/>.</summary>
    public string Table { get; }

    /// <summary>SELECT: the columns read ("*" for all); UPDATE and INSERT: the columns written.</summary>
    public ImmutableArray<string> Columns { get; }

    /// <summary>UPDATE and INSERT: the value expression written to each of <see cref="Columns"/>, in order.</summary>
    public ImmutableArray<string> Values { get; }

    /// <summary>The WHERE condition; empty when there is none.</summary>
    public string Where { get; }

    /// <summary>Every statement of a command text, split at semicolons outside quotes.</summary>
    public static ImmutableArray<SqlStatement> Parse(string commandText)
        => SplitStatements(commandText).Select(ParseOne).ToImmutableArray();

    /// <summary>Whether <paramref name="text"/> names <paramref name="column"/> as a whole word (any table prefix).</summary>
    public static bool Mentions(string text, string column)
        => Regex.IsMatch(text, @"(?<![\w$@:])[""\[`]?" + Regex.Escape(column) + @"[""\]`]?(?!\w)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>The value written to <paramref name="column"/>, or null when this statement does not write it.</summary>
    public string? ValueOf(string column)
    {
        for (var i = 0; i < Columns.Length && i < Values.Length; i++)
        {
            if (string.Equals(Columns[i], column, System.StringComparison.OrdinalIgnoreCase))
            {
                return Values[i];
            }
        }

        return null;
    }

    private static SqlStatement ParseOne(string text)
    {
        if (Begin.IsMatch(text))
        {
            return new SqlStatement(SqlVerb.Begin, string.Empty, ImmutableArray<string>.Empty, ImmutableArray<string>.Empty, string.Empty);
        }

        if (Select.Match(text) is { Success: true } select)
        {
            var columns = SplitTopLevel(select.Groups["columns"].Value, ',').Select(ColumnName).ToImmutableArray();
            var where = WhereClause.Match(select.Groups["rest"].Value) is { Success: true } w ? w.Groups["where"].Value.Trim() : string.Empty;
            return new SqlStatement(SqlVerb.Select, Name(select.Groups["table"].Value), columns, ImmutableArray<string>.Empty, where);
        }

        if (Update.Match(text) is { Success: true } update)
        {
            var assignments = SplitTopLevel(update.Groups["set"].Value, ',').Select(a => a.Split(new[] { '=' }, 2)).Where(a => a.Length == 2).ToList();
            return new SqlStatement(
                SqlVerb.Update,
                Name(update.Groups["table"].Value),
                assignments.Select(a => Name(a[0])).ToImmutableArray(),
                assignments.Select(a => a[1].Trim()).ToImmutableArray(),
                update.Groups["where"].Value.Trim());
        }

        if (Insert.Match(text) is { Success: true } insert)
        {
            return new SqlStatement(
                SqlVerb.Insert,
                Name(insert.Groups["table"].Value),
                SplitTopLevel(insert.Groups["columns"].Value, ',').Select(Name).ToImmutableArray(),
                SplitTopLevel(insert.Groups["values"].Value, ',').Select(v => v.Trim()).ToImmutableArray(),
                string.Empty);
        }

        if (Delete.Match(text) is { Success: true } delete)
        {
            return new SqlStatement(SqlVerb.Delete, Name(delete.Groups["table"].Value), ImmutableArray<string>.Empty, ImmutableArray<string>.Empty, delete.Groups["where"].Value.Trim());
        }

        return new SqlStatement(SqlVerb.Other, string.Empty, ImmutableArray<string>.Empty, ImmutableArray<string>.Empty, string.Empty);
    }

    /// <summary>"d.state AS s" → "state"; "count(*)" → "count(*)" (not a column the rules look for).</summary>
    private static string ColumnName(string expression)
    {
        var text = Regex.Replace(expression.Trim(), @"\s+as\s+\S+$", string.Empty, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        return text.EndsWith("*", System.StringComparison.Ordinal) && !text.Contains("(") ? "*" : Name(text);
    }

    /// <summary>Unquoted, without a schema or table prefix.</summary>
    private static string Name(string text)
    {
        var trimmed = text.Trim();
        var dot = trimmed.LastIndexOf('.');
        if (dot >= 0 && !trimmed.Contains("("))
        {
            trimmed = trimmed.Substring(dot + 1);
        }

        return trimmed.Trim('"', '[', ']', '`', ' ');
    }

    private static IEnumerable<string> SplitStatements(string text) => SplitTopLevel(text, ';').Where(s => !string.IsNullOrWhiteSpace(s));

    /// <summary>Splits at <paramref name="separator"/> outside quotes and parentheses.</summary>
    private static List<string> SplitTopLevel(string text, char separator)
    {
        var parts = new List<string>();
        var depth = 0;
        var quote = '\0';
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (c == separator && depth == 0)
            {
                parts.Add(text.Substring(start, i - start));
                start = i + 1;
            }
        }

        parts.Add(text.Substring(start));
        return parts;
    }
}

internal enum SqlVerb
{
    Other,
    Select,
    Update,
    Insert,
    Delete,
    Begin,
}
