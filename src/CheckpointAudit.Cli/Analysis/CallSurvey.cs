using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Cli.Analysis;

// Like the environment survey, not a shipped analyzer: checkpoint-audit runs it beside the rules in every project of
// one audit, and reads what it collected once every project is done.
#pragma warning disable RS1008, RS1022, RS1036, RS2008

/// <summary>
/// Records which methods the audited code calls, and from where, across all its projects, so the audit can tell a
/// finding in a method nothing live calls (<see cref="UncalledCode"/>). Calls that do not bind are kept by name, and
/// so are <c>nameof</c> and string constants that look like a method name (reflection), so the answer errs towards
/// "called".
/// </summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
internal sealed class CallSurvey(ProgramCalls calls, string? projectFile) : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Marker = Catalog.DescriptorFactory.SurveyMarker;

    // Per calling member: its documentation ID when the audit can count its own callers, else "" (always live).
    private readonly ConcurrentDictionary<ISymbol, string> _callers = new(SymbolEqualityComparer.Default);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Marker);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        // Designer files are generated code, and wire event handlers.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze);
        context.RegisterOperationAction(op => Called(((IInvocationOperation)op.Operation).TargetMethod, op), OperationKind.Invocation);
        context.RegisterOperationAction(op => Called(((IMethodReferenceOperation)op.Operation).Method, op), OperationKind.MethodReference);
        context.RegisterOperationAction(op => NamedIn(op.Operation.Syntax), OperationKind.Invalid, OperationKind.DynamicInvocation, OperationKind.DynamicMemberReference);
        // Code in an inactive #if branch is another build's calls.
        context.RegisterSyntaxTreeAction(tree => NamedInDisabledText(tree.Tree.GetRoot(tree.CancellationToken)));
        context.RegisterOperationAction(op => calls.Named(op.Operation.ConstantValue.Value as string), OperationKind.NameOf, OperationKind.Literal);
    }

    private void Called(IMethodSymbol method, OperationAnalysisContext context)
    {
        var target = (method.ReducedFrom ?? method).OriginalDefinition;
        if ((target.IsAbstract || target.IsVirtual || target.IsOverride || target.ContainingType?.TypeKind == TypeKind.Interface) && !IsFramework(target.ContainingAssembly))
        {
            // Dispatched at run time: any method of that name may be the one that runs (an interface implemented
            // through a base class's method).
            calls.Named(target.Name);
        }

        // The framework's own methods are never findings' methods; another audited project may come as a binary.
        if ((target.DeclaringSyntaxReferences.IsEmpty && IsFramework(target.ContainingAssembly)) || target.GetDocumentationCommentId() is not { } callee)
        {
            return;
        }

        var member = Member(context.ContainingSymbol);
        calls.Called(callee, _callers.GetOrAdd(member, m => CallerId(m, context.Compilation)));
        // Inside a lambda the delegate's invoker is unknown: only a catch in the lambda counts there; and a delegate
        // made from the method may be invoked anywhere.
        calls.CalledAt(
            callee,
            context.Operation is IInvocationOperation && !InLambda(context.Operation) && !IsDispatched(member) ? member.GetDocumentationCommentId() ?? string.Empty : string.Empty,
            context.Operation is IInvocationOperation call ? CaughtAround(call) : string.Empty);
    }

    /// <summary>The types named by the catches around the call in its own function that keep what they catch and go on (no filter, no throw, no exit).</summary>
    private static string CaughtAround(IOperation call)
    {
        List<string>? caught = null;
        for (IOperation child = call, parent = call.Parent!; parent is not null and not (IAnonymousFunctionOperation or ILocalFunctionOperation); child = parent, parent = parent.Parent!)
        {
            if (parent is ITryOperation attempt && attempt.Body == child)
            {
                foreach (var clause in attempt.Catches)
                {
                    if (clause.Filter is null && !clause.Handler.Descendants().Any(o => o is IThrowOperation || EndsProcess(o)) && clause.ExceptionType.GetDocumentationCommentId() is { } type)
                    {
                        (caught ??= []).Add(type);
                    }
                }
            }
        }

        return caught is null ? string.Empty : string.Join(";", caught.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
    }

    /// <summary>A call that ends the program (Environment.Exit or FailFast, a WPF or WinForms application's Shutdown or Exit): a catch that makes it stops, it does not go on.</summary>
    private static bool EndsProcess(IOperation operation)
        => operation is IInvocationOperation { TargetMethod: { Name: "Exit" or "FailFast" or "Shutdown" } method }
            && method.ContainingType is { Name: "Environment" or "Application" } type
            && (Knowledge.SymbolNames.IsNamespace(type.ContainingNamespace, "System") || Knowledge.SymbolNames.IsNamespace(type.ContainingNamespace, "System.Windows")
                || Knowledge.SymbolNames.IsNamespace(type.ContainingNamespace, "System.Windows.Forms"));

    /// <summary>In a lambda or a local function: who runs it, and under which catch, is not recorded.</summary>
    private static bool InLambda(IOperation call)
    {
        for (var parent = call.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A member called through a virtual, abstract or interface method: its calls are recorded under that method, so
    /// its own callers are unknown here.
    /// </summary>
    private static bool IsDispatched(ISymbol member)
        => member is IMethodSymbol method && (method.IsVirtual || method.IsOverride || method.IsAbstract || Knowledge.TypeRelations.ImplementsInterfaceMember(method));

    private string CallerId(ISymbol member, Compilation compilation)
    {
        if (UncalledCode.Candidate(member, compilation) is not { } candidate)
        {
            return string.Empty;
        }

        calls.Countable(candidate, projectFile);
        return candidate.DocumentationId;
    }

    /// <summary>The member whose body holds the call: a lambda's or local function's enclosing member.</summary>
    private static ISymbol Member(ISymbol symbol)
    {
        while (symbol is IMethodSymbol { MethodKind: MethodKind.LambdaMethod or MethodKind.LocalFunction } && symbol.ContainingSymbol is { } outer)
        {
            symbol = outer;
        }

        return symbol;
    }

    private static bool IsFramework(IAssemblySymbol? assembly)
        => assembly is null || assembly.Name.StartsWith("System", StringComparison.Ordinal) || assembly.Name.StartsWith("Microsoft.", StringComparison.Ordinal)
            || assembly.Name is "mscorlib" or "netstandard" or "Newtonsoft.Json";

    private void NamedInDisabledText(SyntaxNode root)
    {
        foreach (var trivia in root.DescendantTrivia())
        {
            if (trivia.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.DisabledTextTrivia))
            {
                foreach (System.Text.RegularExpressions.Match word in UncalledCode.Word().Matches(trivia.ToString()))
                {
                    calls.Named(word.Value);
                }
            }
        }
    }

    /// <summary>
    /// Every simple name in code that does not bind, or binds only at run time (dynamic): the call's own name (<c>x.Import(p)</c>) and a method group it is
    /// given (<c>CommandHandler.Create&lt;Options&gt;(RunAsync)</c> when the command-line library is not referenced).
    /// </summary>
    private void NamedIn(SyntaxNode syntax)
    {
        foreach (var name in syntax.DescendantNodesAndSelf().OfType<SimpleNameSyntax>())
        {
            calls.Named(name.Identifier.ValueText);
        }
    }
}

/// <summary>What <see cref="CallSurvey"/> collected over every project of one audit: who calls what.</summary>
internal sealed class ProgramCalls
{
    // Callee documentation ID -> its callers' IDs ("" for a caller whose own callers are not counted: always live).
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _callers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (UncalledCandidate Candidate, string? ProjectFile)> _countable = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _named = new(StringComparer.Ordinal);

    public void Called(string callee, string caller)
        => _callers.GetOrAdd(callee, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal)).TryAdd(caller, 0);

    /// <summary>A calling method whose own callers the audit counts, with the project it is declared in.</summary>
    public void Countable(UncalledCandidate candidate, string? projectFile) => _countable.TryAdd(candidate.DocumentationId, (candidate, projectFile));

    /// <summary>A name the code uses where the method it means is not known: a call that does not bind, nameof, a string.</summary>
    public void Named(string? name)
    {
        if (name is { Length: > 0 and <= 128 } && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_'))
        {
            _named.TryAdd(name, 0);
        }
    }

    // Callee documentation ID -> "caller ID|catch types around the call" for every call site (see CaughtByCallers).
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _sites = new(StringComparer.Ordinal);

    /// <summary>One call: from which method ("" inside a lambda), and which catch types around it keep what they catch.</summary>
    public void CalledAt(string callee, string caller, string caught)
        => _sites.GetOrAdd(callee, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal)).TryAdd(caller + "|" + caught, 0);

    public IEnumerable<(string Caller, string[] Caught)> CallSitesOf(string documentationId)
        => _sites.TryGetValue(documentationId, out var sites)
            ? sites.Keys.Select(k => k.Split('|')).Select(p => (p[0], p[1].Length == 0 ? Array.Empty<string>() : p[1].Split(';')))
            : [];

    public IEnumerable<string> CallersOf(string documentationId)
        => _callers.TryGetValue(documentationId, out var callers) ? callers.Keys : [];

    public (UncalledCandidate Candidate, string? ProjectFile)? CountableCaller(string documentationId)
        => _countable.TryGetValue(documentationId, out var caller) ? caller : null;

    public bool IsNamed(string name) => _named.ContainsKey(name);
}
