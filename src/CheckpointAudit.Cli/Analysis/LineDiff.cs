namespace CheckpointAudit.Cli.Analysis;

/// <summary>One changed region: old lines [OldStart, OldEnd) became new lines [NewStart, NewEnd).</summary>
internal sealed record DiffHunk(int OldStart, int OldEnd, int NewStart, int NewEnd, string BeforeText, string AfterText)
{
    public int DistanceTo(int oldLine) => oldLine < OldStart ? OldStart - oldLine : oldLine >= OldEnd ? oldLine - Math.Max(OldStart, OldEnd - 1) : 0;

    /// <summary>A short description of a hunk away from the site (usually an added using directive).</summary>
    public string Summary
    {
        get
        {
            var before = BeforeText.Split('\n').Select(l => l.Trim()).ToHashSet();
            var added = AfterText.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !before.Contains(l)).ToList();
            if (added.Count == 1 && added[0].StartsWith("using ", StringComparison.Ordinal))
            {
                return $"adds `{added[0]}`";
            }

            return OldEnd - OldStart <= 1 ? $"changes line {OldStart + 1}" : $"changes lines {OldStart + 1}–{OldEnd}";
        }
    }
}

/// <summary>
/// A line diff (longest common subsequence between the common prefix and suffix) good enough for code
/// fixes, which change a few places in one file.
/// </summary>
internal static class LineDiff
{
    private const long MaxCells = 4_000_000;

    public static IReadOnlyList<DiffHunk> Hunks(string[] before, string[] after)
    {
        var prefix = 0;
        while (prefix < before.Length && prefix < after.Length && before[prefix] == after[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < before.Length - prefix && suffix < after.Length - prefix && before[^(suffix + 1)] == after[^(suffix + 1)])
        {
            suffix++;
        }

        var oldCount = before.Length - prefix - suffix;
        var newCount = after.Length - prefix - suffix;
        if (oldCount == 0 && newCount == 0)
        {
            return [];
        }

        if ((long)oldCount * newCount > MaxCells)
        {
            return [Hunk(before, after, prefix, prefix + oldCount, prefix, prefix + newCount)];
        }

        // lcs[i, j]: common subsequence length of before[prefix+i..] and after[prefix+j..].
        var lcs = new int[oldCount + 1, newCount + 1];
        for (var i = oldCount - 1; i >= 0; i--)
        {
            for (var j = newCount - 1; j >= 0; j--)
            {
                lcs[i, j] = before[prefix + i] == after[prefix + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var hunks = new List<DiffHunk>();
        int a = 0, b = 0, hunkA = -1, hunkB = -1;
        void Close()
        {
            if (hunkA >= 0)
            {
                hunks.Add(Hunk(before, after, prefix + hunkA, prefix + a, prefix + hunkB, prefix + b));
                hunkA = hunkB = -1;
            }
        }

        while (a < oldCount || b < newCount)
        {
            if (a < oldCount && b < newCount && before[prefix + a] == after[prefix + b])
            {
                Close();
                a++;
                b++;
                continue;
            }

            if (hunkA < 0)
            {
                hunkA = a;
                hunkB = b;
            }

            if (b < newCount && (a == oldCount || lcs[a, b + 1] >= lcs[a + 1, b]))
            {
                b++;
            }
            else
            {
                a++;
            }
        }

        Close();
        return Merge(hunks, before, after);
    }

    // Hunks a few lines apart read better as one region (a member added below the line the fix changed).
    private const int MergeGap = 4;

    private static List<DiffHunk> Merge(List<DiffHunk> hunks, string[] before, string[] after)
    {
        var merged = new List<DiffHunk>();
        foreach (var hunk in hunks)
        {
            if (merged.Count > 0 && hunk.OldStart - merged[^1].OldEnd <= MergeGap)
            {
                var last = merged[^1];
                merged[^1] = Hunk(before, after, last.OldStart, hunk.OldEnd, last.NewStart, hunk.NewEnd);
            }
            else
            {
                merged.Add(hunk);
            }
        }

        return merged;
    }

    private static DiffHunk Hunk(string[] before, string[] after, int oldStart, int oldEnd, int newStart, int newEnd)
    {
        // A pure insertion shows the line above it on both sides, so the reader sees where it goes.
        var context = oldStart == oldEnd && oldStart > 0 ? 1 : 0;
        var beforeLines = before[(oldStart - context)..oldEnd];
        var afterLines = after[(newStart - context)..newEnd];
        var indent = beforeLines.Concat(afterLines).Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        string Text(string[] lines) => string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
        return new DiffHunk(oldStart, oldEnd, newStart, newEnd, Text(beforeLines), Text(afterLines));
    }
}
