using System.Collections.Concurrent;
using CheckpointAudit.Catalog;
using CheckpointAudit.Loading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace CheckpointAudit.Cli.Analysis;

/// <summary>
/// Runs every CheckpointAudit rule (MONITOR rules included) over one project, places each finding in its
/// member, grades how sure it is, previews the code fix at the site and surveys how the project stores state.
/// </summary>
internal static class ProjectAnalyzer
{
    /// <summary>Sites of one rule in one project whose fix is previewed; later sites show the rule page's example.</summary>
    public const int MaxPreviewsPerRule = 10;

    public static async Task<ProjectResult> AnalyzeAsync(LoadedProject loaded, string root, AuditOptions options, ProgramCalls calls, CancellationToken cancellationToken)
    {
        var project = WithHelper(loaded.Project, await loaded.Project.GetCompilationAsync(cancellationToken));
        loaded.Project = project;
        var compilation = (await project.GetCompilationAsync(cancellationToken))!;
        var suppressions = new ProjectSuppressions(project, compilation.Options, project.AnalyzerOptions.AnalyzerConfigOptionsProvider, root);
        // Every rule on, MONITOR rules too, whatever severity the project's .editorconfig or preset gives it: the audit
        // rates severity itself. What the project turned off (none, <NoWarn>, #pragma, [SuppressMessage]) is reported
        // apart, as accepted risks. (The checkpoint_audit.* options apply as in the build: they describe the code.)
        compilation = compilation.WithOptions(compilation.Options
            .WithSyntaxTreeOptionsProvider(null)
            .WithSpecificDiagnosticOptions(compilation.Options.SpecificDiagnosticOptions.SetItems(RuleCatalog.All.Select(r => KeyValuePair.Create(r.Id, ReportDiagnostic.Warn)))));
        var failures = new ConcurrentBag<string>();
        var analyzerOptions = options.IncludeTests ? ForcedOption.AnalyzeTests(project.AnalyzerOptions) : project.AnalyzerOptions;
        var survey = new EnvironmentSurvey(root);
        var withAnalyzers = compilation.WithAnalyzers(
            [.. AuditRules.Analyzers, survey, new CallSurvey(calls, loaded.ProjectFile is null ? null : Relative(root, loaded.ProjectFile))],
            new CompilationWithAnalyzersOptions(
                analyzerOptions,
                (exception, analyzer, _) => failures.Add(exception is Hosting.CheckFailedException check
                    ? $"{check.RuleId} ({analyzer.GetType().Name}): {check.InnerException?.GetType().Name}: {check.InnerException?.Message}"
                    : $"{analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message}"),
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false,
                reportSuppressedDiagnostics: true));
        // One pass: the compiler's diagnostics, the rules and the survey share the binding.
        var all = await withAnalyzers.GetAllDiagnosticsAsync(cancellationToken);
        var diagnostics = all.Where(d => d.Id.StartsWith("CKPT", StringComparison.Ordinal)).ToList();
        var errors = all
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.IsInSource && !AwaitsGenerator(d) && !d.Id.StartsWith("CKPT", StringComparison.Ordinal))
            .ToList();
        var errorsByTree = errors.ToLookup(d => d.Location.SourceTree!);

        var toolProject = loaded.ProjectFile is not null && ToolProjects.IsToolProject(root, loaded.ProjectFile);
        var findings = new List<SiteFinding>();
        var suppressed = new List<SiteFinding>();
        var previews = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var diagnostic in diagnostics.Where(d => d.Location.IsInSource).OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start))
        {
            if (AuditRules.Rule(diagnostic.Id) is not { } rule)
            {
                continue;
            }

            var finding = Place(rule, diagnostic, compilation, errorsByTree[diagnostic.Location.SourceTree!], root, loaded.Name, toolProject);
            if (suppressions.By(diagnostic, rule, compilation) is { } by)
            {
                finding.SuppressedBy = by;
                suppressed.Add(finding);
                continue;
            }

            // A preview runs the fix on a copy of the document: bounded per rule so a rule with hundreds of sites stays cheap.
            if (!options.NoFixPreview && rule.HasFix && previews.GetValueOrDefault(rule.Id) < MaxPreviewsPerRule)
            {
                finding.Fix = await FixPreviewer.PreviewAsync(project, diagnostic, rule, cancellationToken);
                finding.FixPreviewed = true;
                previews[rule.Id] = previews.GetValueOrDefault(rule.Id) + 1;
            }

            findings.Add(finding);
        }

        return new ProjectResult
        {
            Name = loaded.Name,
            ProjectFile = loaded.ProjectFile is null ? null : Relative(root, loaded.ProjectFile),
            Mode = loaded.Mode,
            PublishesPackage = loaded.ProjectFile is not null && PackageProject.Describes(loaded.ProjectFile, root),
            ReferencedProjects = [.. project.ProjectReferences.Select(r => project.Solution.GetProject(r.ProjectId)?.FilePath).OfType<string>().Select(f => Relative(root, f))],
            Note = loaded.Note,
            Files = project.Documents.Count(d => d.FilePath is not null && !IsGenerated(d.FilePath)),
            CompileErrors = errors.Count,
            TopErrors = [.. errors.GroupBy(e => $"{e.Id} {e.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}").OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(3).Select(g => g.Count() == 1 ? g.Key : $"{g.Key} (×{g.Count()})")],
            Findings = findings,
            Suppressed = suppressed,
            Facts = survey.Finish(),
            AnalyzerFailures = [.. failures.Order(StringComparer.Ordinal)],
        };
    }

    /// <summary>Adds the generated CheckpointFile helper as the package would (see <see cref="PackageHelper"/>).</summary>
    public static Project WithHelper(Project project, Compilation? compilation) => PackageHelper.AddTo(project, compilation);

    // Source generators do not run here (read as sources), or are built for a newer compiler than the one this
    // tool hosts: the partial members they implement ([GeneratedRegex], [LoggerMessage], [LibraryImport]) are
    // missing, which does not affect how the rest of the code binds.
    private static bool AwaitsGenerator(Diagnostic error) => error.Id is "CS8795" or "CS9248" or "CS8796" or "CS8797" or "CS8798";

    private static bool IsGenerated(string path)
        => path.EndsWith(".g.cs", StringComparison.OrdinalIgnoreCase) || path.Split(Path.DirectorySeparatorChar).Contains("obj");

    private static SiteFinding Place(RuleDefinition rule, Diagnostic diagnostic, Compilation compilation, IEnumerable<Diagnostic> treeErrors, string root, string projectName, bool toolProject)
    {
        var location = diagnostic.Location;
        var tree = location.SourceTree!;
        var span = location.GetLineSpan();
        var node = tree.GetRoot().FindNode(location.SourceSpan, getInnermostNodeForTie: true);
        var memberNode = node.AncestorsAndSelf().FirstOrDefault(n => n is BaseMethodDeclarationSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax or EventDeclarationSyntax or FieldDeclarationSyntax or BaseTypeDeclarationSyntax);
        var model = compilation.GetSemanticModel(tree);
        var member = memberNode is null ? string.Empty : MemberName(model, memberNode);
        var memberErrors = memberNode is null ? 0 : treeErrors.Count(e => memberNode.Span.Contains(e.Location.SourceSpan) && memberNode is not BaseTypeDeclarationSyntax);

        // What the written file holds moves the finding's severity (output at most MONITOR, one-shot at most MEDIUM).
        var (held, evidence) = Checks.DataHeldDiagnostic.Read(diagnostic);
        if (toolProject && held != Knowledge.DataHeld.Output)
        {
            (held, evidence) = (Knowledge.DataHeld.OneShot, $"a build or maintenance tool ('{projectName}')");
        }
        else if (held is Knowledge.DataHeld.Unclassified or Knowledge.DataHeld.State
            && Knowledge.MigrationCode.Around(compilation.GetSemanticModel(tree).GetEnclosingSymbol(location.SourceSpan.Start)) is { } migration)
        {
            // Any rule: migration code runs once per installation on data an older release wrote.
            (held, evidence) = (Knowledge.DataHeld.OneShot, $"migration code ('{migration.Name}')");
        }

        var severity = Checks.DataHeldDiagnostic.AuditSeverityFor(rule, held);
        var confidence = severity switch
        {
            AuditSeverity.Critical or AuditSeverity.High => Confidence.High,
            AuditSeverity.Medium => Confidence.Medium,
            _ => Confidence.Low,
        };
        string? note = null;
        if (rule.IsCompilationEnd && confidence == Confidence.High)
        {
            confidence = Confidence.Medium;
            note = "decided over the whole project: code outside it (another service, a script, a referenced library) may change the answer";
        }

        if (held == Knowledge.DataHeld.Unclassified && evidence.Length > 0 && confidence != Confidence.Low)
        {
            // A general-purpose helper writing wherever its caller says: whether that is the program's state is
            // decided at the calls, which the analysis of this method does not see.
            confidence = Confidence.Low;
            note = evidence;
        }

        if (memberErrors > 0)
        {
            confidence = confidence == Confidence.High ? Confidence.Medium : Confidence.Low;
            note = $"the code around it does not fully compile here ({memberErrors} unresolved name{(memberErrors == 1 ? "" : "s")}), so a guard may have been missed";
        }

        var (throwsTo, caughtBy) = Checks.ThrownToCallers.Read(diagnostic);
        var text = tree.GetText();
        var firstLine = text.Lines[span.StartLinePosition.Line].ToString().Trim();
        var target = location.SourceSpan.Length > 0 ? text.ToString(location.SourceSpan) : firstLine;
        target = OneLine(target);
        return new SiteFinding
        {
            Rule = rule,
            Project = projectName,
            File = Relative(root, span.Path),
            StartLine = span.StartLinePosition.Line + 1,
            EndLine = span.EndLinePosition.Line + 1,
            StartColumn = span.StartLinePosition.Character + 1,
            Member = member,
            Message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            Target = target.Length <= 120 ? target : target[..117] + "...",
            Code = target,
            Confidence = confidence,
            ConfidenceNote = note,
            Severity = severity,
            Holds = held,
            HoldsEvidence = evidence,
            Subject = diagnostic.Properties.TryGetValue(Checks.FindingSubject.Property, out var subject) ? subject : null,
            Uncalled = memberNode is BaseMethodDeclarationSyntax ? UncalledCode.Candidate(model.GetDeclaredSymbol(memberNode), compilation) : null,
            ThrowsTo = throwsTo,
            CaughtBy = caughtBy,
        };
    }

    private static string MemberName(SemanticModel model, SyntaxNode memberNode)
    {
        var declared = memberNode is FieldDeclarationSyntax field
            ? model.GetDeclaredSymbol(field.Declaration.Variables[0])
            : model.GetDeclaredSymbol(memberNode);
        return declared switch
        {
            null => string.Empty,
            INamedTypeSymbol type => type.Name,
            IMethodSymbol { MethodKind: MethodKind.Constructor } ctor => ctor.ContainingType.Name + " constructor",
            _ => declared.ContainingType is null ? declared.Name : declared.ContainingType.Name + "." + declared.Name,
        };
    }

    private static string OneLine(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim();

    public static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
