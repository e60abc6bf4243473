using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Cli.Analysis;

/// <summary>
/// A finding in a method nothing in the audited code calls: code a careful engineer deletes rather than protects
/// (an import nobody wired up, a helper overload left behind). The build's analyzers see one project and keep
/// reporting it; the audit sees every project and lists it for review instead of scoring it. Only methods that
/// nothing outside the code can call by convention count: ordinary, non-virtual methods with no attributes that
/// implement no interface, are not an entry point or an event handler, and are not a web framework's action;
/// a public one only in a program, or in a library another audited project references and that is not published
/// as a package (whose API other programs call).
/// </summary>
internal static partial class UncalledCode
{
    /// <summary>The method a finding lies in, when it is one whose callers the audit can count; else null.</summary>
    public static UncalledCandidate? Candidate(ISymbol? member, Compilation compilation)
    {
        // Top-level statements are an entry point the compiler declares (<Main>$).
        if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary, IsOverride: false, IsVirtual: false, IsAbstract: false, IsExtern: false, IsImplicitlyDeclared: false } method
            || method.Name == "Main" || method.Name.StartsWith('<') || CalledByConvention(method.Name) || !method.ExplicitInterfaceImplementations.IsEmpty || method.PartialDefinitionPart is not null
            || method.PartialImplementationPart is not null || !method.GetAttributes().IsEmpty || IsEventHandler(method)
            || Knowledge.TypeRelations.ImplementsInterfaceMember(method) || IsWebEndpoint(method.ContainingType)
            || method.GetDocumentationCommentId() is not { } id)
        {
            return null;
        }

        var isPublicApi = IsVisibleOutside(method);
        return new UncalledCandidate(id, method.Name, method.ContainingType.Name + "." + method.Name,
            isPublicApi, compilation.Options.OutputKind != OutputKind.DynamicallyLinkedLibrary);
    }

    /// <summary>
    /// Lists for review the findings in methods nothing live calls (no caller, or callers that are themselves
    /// uncalled), once every project has been analyzed. Not applied when a project could not be analyzed: its
    /// calls are unknown.
    /// </summary>
    public static void Mark(IReadOnlyList<ProjectResult> results, ProgramCalls calls, string root, bool everyProjectAnalyzed)
    {
        // A Visual Basic or F# project beside the C# ones may call them: the audit does not read it.
        if (!everyProjectAnalyzed || OtherLanguageProjects.Any(pattern => CheckpointAudit.Loading.SourceFiles.Find(root, pattern).Any()))
        {
            return;
        }

        // A library another audited project references is the product's own code, unless it is also published as a package.
        var referenced = results.SelectMany(r => r.ReferencedProjects).ToHashSet(StringComparer.Ordinal);
        referenced.ExceptWith(results.Where(r => r.PublishesPackage).Select(r => r.ProjectFile).OfType<string>());
        var graph = new CallGraph(calls, referenced, root);
        foreach (var result in results)
        {
            foreach (var finding in result.Findings)
            {
                if (finding.Uncalled is { } candidate && finding.Confidence != Confidence.Low && graph.IsDead(candidate, result.ProjectFile))
                {
                    var callers = calls.CallersOf(candidate.DocumentationId).Select(c => calls.CountableCaller(c)?.Candidate.Display).OfType<string>().Order(StringComparer.Ordinal).ToList();
                    finding.Confidence = Confidence.Low;
                    finding.ConfidenceNote = callers.Count == 0
                        ? $"nothing in the audited code calls '{candidate.Display}': dead code, or run by reflection or by another program"
                        : $"'{candidate.Display}' is called only from code nothing calls ('{string.Join("', '", callers.Take(3))}'): dead code, or run by reflection or by another program";
                }
            }
        }
    }

    /// <summary>Whether a method is dead: countable, and every caller (if any) dead too, a few calls deep.</summary>
    private sealed class CallGraph(ProgramCalls calls, HashSet<string> referencedProjects, string root)
    {
        private const int MaxDepth = 6;
        private readonly Dictionary<(string Id, string? Project), bool> _known = [];
        private HashSet<string>? _markupWords;

        public bool IsDead(UncalledCandidate method, string? projectFile)
        {
            // A linked file is compiled into several projects: whether its method counts depends on the project.
            if (_known.TryGetValue((method.DocumentationId, projectFile), out var known))
            {
                return known;
            }

            // Only the outermost answer is kept: inside a cycle, a method on the path is assumed dead.
            return _known[(method.DocumentationId, projectFile)] = IsDead(method, projectFile, new HashSet<string>(StringComparer.Ordinal));
        }

        private bool IsDead(UncalledCandidate method, string? projectFile, HashSet<string> path)
        {
            if (path.Count > MaxDepth || !Countable(method, projectFile))
            {
                return false;
            }

            path.Add(method.DocumentationId);
            var dead = calls.CallersOf(method.DocumentationId).All(caller => caller.Length > 0
                && (path.Contains(caller) || (calls.CountableCaller(caller) is { } outer && IsDead(outer.Candidate, outer.ProjectFile, path))));
            path.Remove(method.DocumentationId);
            return dead;
        }

        /// <summary>Whether the audit sees every call the method can have: nothing names it, and it is not a library's API.</summary>
        private bool Countable(UncalledCandidate method, string? projectFile)
        {
            if (calls.IsNamed(method.Name) || (method.IsPublicApi && !method.InProgram && !(projectFile is not null && referencedProjects.Contains(projectFile))))
            {
                return false;
            }

            // Markup calls methods by name: a XAML event handler, a Razor @onclick, a Web Forms OnClick.
            _markupWords ??= MarkupWords(root);
            return !_markupWords.Contains(method.Name);
        }
    }

    private static HashSet<string> MarkupWords(string root)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in CheckpointAudit.Loading.SourceFiles.Find(root, "*.*").Where(f => MarkupExtensions.Contains(Path.GetExtension(f))))
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (Match word in Word().Matches(text))
            {
                words.Add(word.Value);
            }
        }

        return words;
    }

    private static readonly string[] OtherLanguageProjects = ["*.vbproj", "*.fsproj"];

    private static readonly HashSet<string> MarkupExtensions = new(StringComparer.OrdinalIgnoreCase) { ".xaml", ".axaml", ".razor", ".cshtml", ".aspx", ".ascx", ".master", ".config" };

    /// <summary>An identifier-shaped word: a method name as markup or disabled code may spell it.</summary>
    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*")]
    internal static partial Regex Word();

    /// <summary>
    /// Names a framework or the compiler calls without a call in the code: middleware's Invoke, Startup's Configure,
    /// a serializer's ShouldSerializeX/ResetX, and the patterns of deconstruction, foreach and await.
    /// </summary>
    private static bool CalledByConvention(string name)
        => name is "Invoke" or "InvokeAsync" or "Configure" or "ConfigureServices" or "ConfigureContainer" or "Deconstruct"
                or "GetEnumerator" or "GetAsyncEnumerator" or "GetAwaiter" or "GetResult" or "GetPinnableReference" or "Dispose" or "DisposeAsync"
            || name.StartsWith("ShouldSerialize", StringComparison.Ordinal) || name.StartsWith("Reset", StringComparison.Ordinal);

    private static bool IsVisibleOutside(IMethodSymbol method)
    {
        for (ISymbol? symbol = method; symbol is not null and not INamespaceSymbol; symbol = symbol.ContainingSymbol)
        {
            if (symbol.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>(object sender, SomethingEventArgs e): wired by a designer or markup.</summary>
    private static bool IsEventHandler(IMethodSymbol method)
        => method.Parameters.Length == 2 && method.Parameters[0].Type.SpecialType == SpecialType.System_Object
            && (method.Parameters[1].Type.Name.EndsWith("EventArgs", StringComparison.Ordinal) || method.Parameters[1].Type.TypeKind == TypeKind.Error);

    /// <summary>A controller, page model or hub: its public methods are run by routing, not called.</summary>
    private static bool IsWebEndpoint(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            var ns = current.ContainingNamespace?.ToString() ?? string.Empty;
            if (current.Name.EndsWith("Controller", StringComparison.Ordinal) || ns.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
                || ns.StartsWith("System.Web", StringComparison.Ordinal) || current.GetAttributes().Any(a => a.AttributeClass?.Name is "ApiControllerAttribute" or "ServiceContractAttribute"))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>The method a finding lies in, as <see cref="UncalledCode"/> counts its callers.</summary>
internal sealed record UncalledCandidate(string DocumentationId, string Name, string Display, bool IsPublicApi, bool InProgram);
