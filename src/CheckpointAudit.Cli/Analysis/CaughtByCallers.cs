namespace CheckpointAudit.Cli.Analysis;

/// <summary>
/// Findings about an exception the finding's own project lets out through its public methods (a library's loader
/// that throws on a damaged file) whose every caller in the audited program catches it, directly or a few callers up:
/// the application tells the user that one load failed and goes on, which is what the rule asks for. Such findings
/// are listed for review instead of scored. Decided only when every project of the audit was analyzed.
/// </summary>
internal static class CaughtByCallers
{
    private const int MaxDepth = 6;

    public static void Mark(IReadOnlyList<ProjectResult> results, ProgramCalls calls, bool everyProjectAnalyzed)
    {
        if (!everyProjectAnalyzed)
        {
            return;
        }

        foreach (var finding in results.SelectMany(r => r.Findings))
        {
            if (finding.ThrowsTo.Count == 0 || finding.Confidence == Confidence.Low)
            {
                continue;
            }

            var catchers = new SortedSet<string>(StringComparer.Ordinal);
            var handles = new HashSet<string>(finding.CaughtBy, StringComparer.Ordinal);
            var known = new Dictionary<string, bool>(StringComparer.Ordinal);
            if (finding.ThrowsTo.All(exit => Caught(exit, calls, handles, catchers, known, 0)))
            {
                finding.Confidence = Confidence.Low;
                finding.ConfidenceNote = $"every call of {string.Join(", ", finding.ThrowsTo.Select(e => $"'{Display(e)}'"))} in the audited code catches the exception "
                    + $"('{string.Join("', '", catchers.Take(3))}'): a damaged file fails that load, and the program goes on";
            }
        }
    }

    /// <summary>Whether every recorded call of the method is inside a catch that handles the exception, or made by a method whose calls all are.</summary>
    private static bool Caught(string method, ProgramCalls calls, HashSet<string> handles, SortedSet<string> catchers, Dictionary<string, bool> known, int depth)
    {
        if (known.TryGetValue(method, out var answer))
        {
            return answer;
        }

        if (depth > MaxDepth)
        {
            return false;
        }

        // A recursive call adds no way out: its exception reaches the callers being judged, and any "no" found later
        // ends the whole search, so "yes" is safe until the method is judged.
        known[method] = true;
        var any = false;
        foreach (var (caller, caught) in calls.CallSitesOf(method))
        {
            if (caught.Any(handles.Contains))
            {
                catchers.Add(Display(caller));
            }
            else if (caller.Length == 0 || !Caught(caller, calls, handles, catchers, known, depth + 1))
            {
                return known[method] = false;
            }

            any = true;
        }

        return known[method] = any;
    }

    /// <summary>"M:App.MainWindow.SwitchProfile(App.Info)" → "MainWindow.SwitchProfile"; "" (a call in a lambda) → "a lambda".</summary>
    private static string Display(string documentationId)
    {
        if (documentationId.Length == 0)
        {
            return "a lambda";
        }

        var name = documentationId.Length > 2 && documentationId[1] == ':' ? documentationId[2..] : documentationId;
        var open = name.IndexOf('(', StringComparison.Ordinal);
        var parts = (open >= 0 ? name[..open] : name).Split('.');
        return parts.Length >= 2 ? parts[^2] + "." + parts[^1] : parts[^1];
    }
}
