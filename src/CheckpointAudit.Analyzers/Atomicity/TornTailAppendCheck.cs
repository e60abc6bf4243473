using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Atomicity;

/// <summary>
/// CKPT208 (HIGH, compilation end): records are appended to a file (<c>File.AppendAllText/AppendAllLines</c>,
/// <c>File.AppendText</c>, <c>new StreamWriter(path, append: true)</c>, <c>FileMode.Append</c>) that the project reads
/// back line by line — <c>File.ReadLines/ReadAllLines</c>, <c>ReadLine()</c> on a reader of the file, lines split
/// from <c>File.ReadAllText</c> — parsing each line with a JSON or XML parser and no catch of malformed input inside the
/// loop. A kill mid-append leaves a partial last line; the parse throws on it, so the whole file stops loading, and
/// the next append glues a good record onto the torn one. The files match by the field or property that names them,
/// or by the same path expression within one type.
/// </summary>
public sealed class TornTailAppendCheck : RuleCheck
{
    public TornTailAppendCheck()
        : base(RuleCatalog.TornTailAppend)
    {
    }

    /// <summary>Which file a path names, across methods: a member (anywhere), or the path's text within one type.</summary>
    private readonly struct FileKey : System.IEquatable<FileKey>
    {
        private readonly PathKey _path;
        private readonly ISymbol? _scope;

        private FileKey(PathKey path, ISymbol? scope)
        {
            _path = path;
            _scope = scope;
        }

        public static FileKey? Of(IOperation path, IOperation root, ISymbol containing, FileApiSymbols apis)
        {
            var value = PathKey.Unwrap(path);
            if (value is ILocalReferenceOperation local && OperationTree.DeclaredValue(local.Local, root) is { } declared)
            {
                value = PathKey.Unwrap(declared);
            }

            if (value is null || value is ILocalReferenceOperation or IParameterReferenceOperation)
            {
                return null; // a local or parameter names different files in different calls
            }

            var key = PathKey.From(value, apis);
            if (key.IsEmpty || !key.IsMember && !value.ConstantValue.HasValue
                && value.DescendantsAndSelf().Any(o => o is IParameterReferenceOperation or ILocalReferenceOperation))
            {
                return null; // Path.Combine(_root, name) names a different file for each name
            }

            // A constant names one file everywhere; a member of this object is the same member in every method; the
            // same expression (Path.Combine(_dir, "events.jsonl")) names the same file within its type.
            return value.ConstantValue.HasValue || key.IsMember ? new FileKey(key, null) : new FileKey(key, containing.ContainingType);
        }

        public bool Equals(FileKey other) => _path.Equals(other._path) && SymbolEqualityComparer.Default.Equals(_scope, other._scope);

        public override bool Equals(object? obj) => obj is FileKey other && Equals(other);

        public override int GetHashCode() => _path.GetHashCode();
    }

    private protected override void OnCompilationStart(CheckStart start)
    {
        if (FileApiSymbols.Create(start.Compilation) is not { } apis || Deserializers.Create(start.Compilation) is not { } deserializers)
        {
            return;
        }

        var options = OptionsOf(start.Compilation, start.Options);
        var appends = new ConcurrentBag<(FileKey Key, IOperation Append, string Api, IOperation Path)>();
        var readers = new ConcurrentDictionary<FileKey, (IOperation Parse, string Api)>();
        var pending = new ConcurrentBag<(IParameterSymbol Path, IOperation Parse, string Api)>();
        var parsers = new LineParsers(start.Compilation, deserializers);

        // Whether a file's text reads lines at all (ReadLine, ReadLines, ReadAllLines, ReadAllText for a split), read once per file.
        var lineFiles = new ConcurrentDictionary<SyntaxTree, bool>();
        bool ReadsLines(SyntaxTree tree)
            => lineFiles.GetOrAdd(tree, t => SourceSearch.NamesAny(t.GetText(), "ReadLine", "ReadAllLines", "ReadAllText"));
        start.RegisterOperationAction(
            c =>
            {
                var operation = c.Operation;
                if (AppendedPath(operation, apis) is { } appended)
                {
                    if (options.IsAnalyzed(operation.Syntax.SyntaxTree)
                        && FileKey.Of(appended.Path, OperationTree.Root(operation), c.ContainingSymbol, apis) is { } key)
                    {
                        appends.Add((key, operation, appended.Api, appended.Path));
                    }

                    return;
                }

                if (!ReadsLines(operation.Syntax.SyntaxTree)
                    || LineParse(operation, deserializers, parsers, c.CancellationToken) is not { } parse
                    || LinesRead(parse.Input, apis) is not { } lines || SkipsBadLines(operation, lines.Loop, parse.Malformed))
                {
                    return;
                }

                if (PathKey.Unwrap(lines.Path) is IParameterReferenceOperation { Parameter: { ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Ordinary } } parameter })
                {
                    // Read from a path the method is given: the callers in its type name the file (resolved at the end).
                    pending.Add((parameter, operation, parse.Api));
                }
                else if (FileKey.Of(lines.Path, OperationTree.Root(operation), c.ContainingSymbol, apis) is { } readKey)
                {
                    AddReader(readKey, operation, parse.Api);
                }
            },
            OperationKind.Invocation,
            OperationKind.ObjectCreation,
            OperationKind.MethodReference);

        // Deterministic whatever the callbacks' order: the first parse in source order shows the reader.
        void AddReader(FileKey key, IOperation parse, string api)
            => readers.AddOrUpdate(key, (parse, api), (_, known) => OperationTree.InSourceOrder(parse, known.Parse) ? (parse, api) : known);

        start.RegisterCompilationEndAction(end =>
        {
            foreach (var (parameter, parse, api) in pending)
            {
                foreach (var key in CallerPaths(parameter, end.Compilation, apis, end.CancellationToken))
                {
                    AddReader(key, parse, api);
                }
            }

            foreach (var (key, append, api, path) in appends.OrderBy(a => a.Append.Syntax.SyntaxTree.FilePath, System.StringComparer.Ordinal).ThenBy(a => a.Append.Syntax.SpanStart))
            {
                if (!readers.TryGetValue(key, out var reader))
                {
                    continue;
                }

                // The member that reads, not the lambda that parses.
                var method = OperationTree.MemberOf(reader.Parse.SemanticModel?.GetEnclosingSymbol(reader.Parse.Syntax.SpanStart));

                end.ReportDiagnostic(Diagnostic.Create(
                    Rule.Descriptor,
                    append.Syntax.GetLocation(),
                    ImmutableArray.Create(reader.Parse.Syntax.GetLocation()),
                    null,
                    api,
                    path.Syntax.ToString(),
                    method is null ? "the project" : method.ContainingType.Name + "." + method.Name,
                    reader.Api));
            }
        });
    }

    /// <summary>The path an append writes to, and the API: File.Append*, new StreamWriter(path, true), a FileStream or File.Open with FileMode.Append.</summary>
    private static (IOperation Path, string Api)? AppendedPath(IOperation operation, FileApiSymbols apis)
    {
        switch (operation)
        {
            case IInvocationOperation call when apis.Is(call.TargetMethod.ContainingType, apis.File):
                var name = call.TargetMethod.Name;
                if (name is "AppendAllText" or "AppendAllLines" or "AppendAllTextAsync" or "AppendAllLinesAsync" or "AppendText"
                    || name == "Open" && HasAppendMode(call.Arguments))
                {
                    return OperationTree.ArgumentFor(call.Arguments, 0) is { } path ? (path, "File." + name) : null;
                }

                return null;
            case IObjectCreationOperation creation when apis.Is(creation.Type, apis.StreamWriter):
                var append = creation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "append");
                return append?.Value.ConstantValue is { HasValue: true, Value: true } && creation.Arguments[0].Value.Type?.SpecialType == SpecialType.System_String
                    ? (creation.Arguments[0].Value, "new StreamWriter(…, append: true)")
                    : null;
            case IObjectCreationOperation creation when apis.Is(creation.Type, apis.FileStream) && HasAppendMode(creation.Arguments):
                return creation.Arguments.Length > 0 && creation.Arguments[0].Value.Type?.SpecialType == SpecialType.System_String
                    ? (creation.Arguments[0].Value, "FileMode.Append")
                    : null;
            default:
                return null;
        }
    }

    private static bool HasAppendMode(ImmutableArray<IArgumentOperation> arguments)
        => arguments.Any(a => a.Parameter?.Name == "mode" && PathKey.Unwrap(a.Value) is IFieldReferenceOperation { Field.Name: "Append" });

    /// <summary>
    /// Where a parsed value comes from when it is one line of a file: a foreach over File.ReadLines/ReadAllLines (or the
    /// lines split from File.ReadAllText), ReadLine() of a reader opened on the file, a lambda over those lines. The path
    /// and the loop (or lambda) that visits each line.
    /// </summary>
    private static (IOperation Path, IOperation Loop)? LinesRead(IOperation input, FileApiSymbols apis)
    {
        // The line itself (Deserialize(line)), a value built from it (long.Parse(parts[0]) after line.Split), or a
        // method group handed to LINQ over the lines (Select(Offender.FromStringLine)).
        var root = OperationTree.Root(input);
        if (input is IMethodReferenceOperation { Parent: IDelegateCreationOperation { Parent: IArgumentOperation { Parent: IInvocationOperation linq } } }
            && linq.TargetMethod.IsExtensionMethod && linq.Arguments.Length > 0)
        {
            return LinesOf(linq.Arguments[0].Value, root, apis) is { } groupPath ? (groupPath, linq) : null;
        }

        var sources = new List<ValueSource>();
        ValueSources.Collect(input, root, _ => [], sources);
        foreach (var source in sources.Where(s => s.Member is null))
        {
            switch (source.Root)
            {
                case ILocalSymbol local when ForEachOver(local, root) is { } loop:
                    if (LinesOf(loop.Collection, root, apis) is { } path)
                    {
                        return (path, loop);
                    }

                    break;
                case ILocalSymbol local when OperationTree.StoredValue(local, root) is { } stored && ReadLineOf(stored, root, apis) is { } readPath:
                    if (Enclosing<ILoopOperation>(input) is { } enclosing)
                    {
                        return (readPath, enclosing);
                    }

                    break;
                case IParameterSymbol { ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } } parameter:
                    if (Enclosing<IAnonymousFunctionOperation>(input) is { } lambda
                        && SymbolEqualityComparer.Default.Equals(lambda.Symbol, parameter.ContainingSymbol)
                        && lambda.Parent?.Parent is IArgumentOperation { Parent: IInvocationOperation lambdaLinq }
                        && lambdaLinq.TargetMethod.IsExtensionMethod && lambdaLinq.Arguments.Length > 0
                        && LinesOf(lambdaLinq.Arguments[0].Value, root, apis) is { } lambdaPath)
                    {
                        return (lambdaPath, lambda);
                    }

                    break;
            }
        }

        return ReadLineOf(PathKey.Unwrap(input), root, apis) is { } directPath && Enclosing<ILoopOperation>(input) is { } whileLoop
            ? (directPath, whileLoop)
            : null;
    }

    /// <summary>What a parse of one line is: the value parsed, what malformed input throws, the API for the message.</summary>
    private sealed class ParseOfLine(IOperation input, ImmutableArray<INamedTypeSymbol> malformed, string api)
    {
        public IOperation Input { get; } = input;

        public ImmutableArray<INamedTypeSymbol> Malformed { get; } = malformed;

        public string Api { get; } = api;
    }

    /// <summary>A call that throws on malformed text (a deserializer, a BCL Parse, the project's own parser of its argument), or such a parser passed as a method group.</summary>
    private static ParseOfLine? LineParse(IOperation operation, Deserializers deserializers, LineParsers parsers, System.Threading.CancellationToken cancellationToken)
    {
        switch (operation)
        {
            case IInvocationOperation call:
                if (deserializers.TryMatch(call, out var input, out var malformed, out var api))
                {
                    return input is null ? null : new ParseOfLine(input, malformed, api);
                }

                if (parsers.BclParse(call) is { } bcl)
                {
                    return new ParseOfLine(bcl, parsers.FormatFailures, call.TargetMethod.ContainingType.Name + "." + call.TargetMethod.Name);
                }

                // A project parser: only an argument that is (built from) a variable can be a line; the callee's body is
                // read only then.
                foreach (var argument in call.Arguments)
                {
                    if (argument.Parameter is { Type.SpecialType: SpecialType.System_String } parameter && MethodSummaries.IsProjectMethod(call.TargetMethod)
                        && PathKey.Unwrap(argument.Value) is ILocalReferenceOperation or IParameterReferenceOperation or IArrayElementReferenceOperation
                        && parsers.Parses(call.TargetMethod, parameter.Ordinal, cancellationToken))
                    {
                        return new ParseOfLine(argument.Value, ImmutableArray<INamedTypeSymbol>.Empty, call.TargetMethod.ContainingType.Name + "." + call.TargetMethod.Name);
                    }
                }

                return null;
            case IMethodReferenceOperation group when MethodSummaries.IsProjectMethod(group.Method) && parsers.Parses(group.Method, 0, cancellationToken):
                return new ParseOfLine(group, ImmutableArray<INamedTypeSymbol>.Empty, group.Method.ContainingType.Name + "." + group.Method.Name);
            default:
                return null;
        }
    }

    /// <summary>The files the callers in the method's own type pass for its path parameter (a private loader given a field).</summary>
    private static IEnumerable<FileKey> CallerPaths(IParameterSymbol parameter, Compilation compilation, FileApiSymbols apis, System.Threading.CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)parameter.ContainingSymbol;
        foreach (var reference in method.ContainingType.DeclaringSyntaxReferences)
        {
            var type = reference.GetSyntax(cancellationToken);
            if (!compilation.ContainsSyntaxTree(type.SyntaxTree))
            {
                continue;
            }

#pragma warning disable RS1030 // Only for a line parser reading a path parameter: the callers are in the same type.
            var model = compilation.GetSemanticModel(type.SyntaxTree);
#pragma warning restore RS1030
            foreach (var invocation in type.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>())
            {
                if (invocation.Expression.ToString().EndsWith(method.Name, System.StringComparison.Ordinal)
                    && model.GetOperation(invocation, cancellationToken) is IInvocationOperation call
                    && SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, method.OriginalDefinition)
                    && call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == parameter.Ordinal) is { } argument
                    && model.GetEnclosingSymbol(invocation.SpanStart, cancellationToken) is { } caller
                    && FileKey.Of(argument.Value, OperationTree.Root(call), caller, apis) is { } key)
                {
                    yield return key;
                }
            }
        }
    }

    /// <summary>The nearest enclosing operation of the kind, within the operation's own function (a lambda stops the walk unless it is what is sought).</summary>
    private static T? Enclosing<T>(IOperation operation)
        where T : class, IOperation
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is T found)
            {
                return found;
            }

            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return null;
            }
        }

        return null;
    }

    private static IForEachLoopOperation? ForEachOver(ILocalSymbol local, IOperation root)
        => OperationTree.IteratedCollection(local, root)?.Parent as IForEachLoopOperation
            ?? root.Descendants().OfType<IForEachLoopOperation>().FirstOrDefault(l => l.Locals.Contains(local, SymbolEqualityComparer.Default));

    /// <summary>The path whose lines a collection is: File.ReadLines/ReadAllLines(Async), File.ReadAllText(path).Split(…), through one local.</summary>
    private static IOperation? LinesOf(IOperation? collection, IOperation root, FileApiSymbols apis, int hops = 0)
    {
        var value = PathKey.Unwrap(collection);
        if (value is IAwaitOperation awaited)
        {
            value = PathKey.Unwrap(awaited.Operation);
        }

        if (value is ILocalReferenceOperation local && hops < 3 && OperationTree.DeclaredValue(local.Local, root) is { } declared)
        {
            return LinesOf(declared, root, apis, hops + 1);
        }

        if (value is not IInvocationOperation call)
        {
            return null;
        }

        if (apis.Is(call.TargetMethod.ContainingType, apis.File) && call.TargetMethod.Name is "ReadLines" or "ReadAllLines" or "ReadLinesAsync" or "ReadAllLinesAsync")
        {
            return OperationTree.ArgumentFor(call.Arguments, 0);
        }

        if (call.TargetMethod.Name == "Split" && PathKey.Unwrap(call.Instance) is IInvocationOperation text
            && apis.Is(text.TargetMethod.ContainingType, apis.File) && text.TargetMethod.Name is "ReadAllText")
        {
            return OperationTree.ArgumentFor(text.Arguments, 0);
        }

        return null;
    }

    /// <summary>For <c>reader.ReadLine()</c> (or ReadLineAsync), the path the reader was opened on: new StreamReader(path), File.OpenText(path).</summary>
    private static IOperation? ReadLineOf(IOperation? value, IOperation root, FileApiSymbols apis)
    {
        value = PathKey.Unwrap(value);
        if (value is IAwaitOperation awaited)
        {
            value = PathKey.Unwrap(awaited.Operation);
        }

        if (value is not IInvocationOperation { TargetMethod.Name: "ReadLine" or "ReadLineAsync" } readLine
            || PathKey.Unwrap(readLine.Instance) is not ILocalReferenceOperation reader
            || PathKey.Unwrap(OperationTree.DeclaredValue(reader.Local, root)) is not { } opened)
        {
            return null;
        }

        return opened switch
        {
            IObjectCreationOperation creation when creation.Arguments.Length > 0 && creation.Arguments[0].Value.Type?.SpecialType == SpecialType.System_String
                => creation.Arguments[0].Value,
            IInvocationOperation { TargetMethod.Name: "OpenText" } openText when apis.Is(openText.TargetMethod.ContainingType, apis.File)
                => OperationTree.ArgumentFor(openText.Arguments, 0),
            _ => null,
        };
    }

    /// <summary>A try inside the loop (or lambda) around the parse that catches malformed input: one bad line is skipped, not fatal.</summary>
    private static bool SkipsBadLines(IOperation parse, IOperation loop, ImmutableArray<INamedTypeSymbol> malformed)
    {
        IOperation child = parse;
        for (var parent = parse.Parent; parent is not null && !ReferenceEquals(parent, loop); child = parent, parent = parent.Parent)
        {
            if (parent is ITryOperation tryOperation && ReferenceEquals(tryOperation.Body, child)
                && tryOperation.Catches.Any(clause => malformed.IsEmpty || CatchCoverage.Handles(clause, malformed)))
            {
                return true;
            }
        }

        return false;
    }
}
