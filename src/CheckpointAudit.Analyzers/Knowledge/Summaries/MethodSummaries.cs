using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The summaries of the project's own methods (<see cref="MethodSummary"/>), computed the first time a rule asks and
/// kept for the compilation. A summary reads the method's body and, for the calls that pass one of its path parameters
/// on to other project methods, their summaries, up to <see cref="MaxDepth"/> calls deep (see <see cref="MethodFactCache{T}"/>); a call past that depth, a body over
/// <see cref="SourceBodies.MaxBodyLength"/> characters or a method declared outside source gives
/// <see cref="MethodSummary.Empty"/> (nothing known, so nothing reported through it).
/// </summary>
internal sealed class MethodSummaries
{
    public const int MaxDepth = 3;

    private readonly Compilation _compilation;
    private readonly FileApiSymbols _apis;
    private readonly MethodFactCache<MethodSummary> _summaries = new(MethodSummary.Empty);

    private MethodSummaries(Compilation compilation, FileApiSymbols apis)
    {
        _compilation = compilation;
        _apis = apis;
    }

    public static MethodSummaries? Of(Compilation compilation)
        => PerCompilation<MethodSummaries>.Get(compilation, c => FileApiSymbols.Create(c) is { } apis ? new MethodSummaries(c, apis) : null);

    /// <summary>Whether a call can be summarised at all: a method, local function or accessor declared in source (or abstract).</summary>
    public static bool IsProjectMethod(IMethodSymbol method)
        => method.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction
            && (!method.DeclaringSyntaxReferences.IsEmpty || SourceBodies.IsAbstract(method) && !method.ContainingType.DeclaringSyntaxReferences.IsEmpty);

    /// <summary>The summary of the method a call runs, or <see cref="MethodSummary.Empty"/>.</summary>
    public MethodSummary For(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (!IsProjectMethod(method))
        {
            return MethodSummary.Empty;
        }

        return _summaries.Get(method, m => Summarise(m, cancellationToken));
    }

    /// <summary>
    /// A cheap test before summarising a call as a load: the method takes a path (string or FileInfo), is generic (or
    /// takes a Type), and its source text names a parse and a read, or it is abstract. Most calls of a project stop here.
    /// </summary>
    public bool MayParsePath(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        if (!IsProjectMethod(method) || !method.Parameters.Any(p => IsPathType(p.Type))
            || !(method.IsGenericMethod || method.ContainingType.IsGenericType || method.Parameters.Any(p => p.Type.Name == "Type")))
        {
            return false; // the cheap tests first: this runs for every call of a project method, and only a generic loader counts
        }

        return _mayParse.GetOrAdd(method, m => SourceBodies.IsAbstract(m) || m.DeclaringSyntaxReferences.Any(reference => NamesReadAndParse(reference.GetSyntax())));
    }

    /// <summary>The body names a parse (Deserialize…, ReadObject, Load) and a way to read a file (or Load, which reads it).</summary>
    private static bool NamesReadAndParse(SyntaxNode body)
    {
        bool parses = false, reads = false;
        foreach (var token in body.DescendantTokens())
        {
            var name = token.ValueText;
            parses |= name.StartsWith("Deserialize", StringComparison.Ordinal) || name is "ReadObject" or "Load" or "LoadAsync";
            reads |= name.StartsWith("ReadAll", StringComparison.Ordinal) || name.StartsWith("Open", StringComparison.Ordinal)
                || name is "FileStream" or "StreamReader" or "Load" or "LoadAsync";
            if (parses && reads)
            {
                return true;
            }
        }

        return false;
    }

    private readonly ConcurrentDictionary<IMethodSymbol, bool> _mayParse = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// "file" or "database value" when every body that can run for the method returns data read from storage (text,
    /// bytes or a stream of it), else null. Kept apart from <see cref="For"/>: only the load rules ask, and tracing
    /// returns is the costly part of reading a body.
    /// </summary>
    public string? ReturnsStored(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (!IsProjectMethod(method) || Deserializers.Create(_compilation) is not { } deserializers)
        {
            return null;
        }

        return _returnsStored.Get(method, m =>
        {
            string? combined = null;
            var first = true;
            foreach (var (implementation, body) in SourceBodies.Of(m, _compilation, cancellationToken))
            {
                // The method's own parameters depend on the caller: what they hold is the caller's to trace.
                var returned = body.Descendants().OfType<IReturnOperation>().FirstOrDefault(r => r.ReturnedValue is not null)?.ReturnedValue;
                var source = returned is null ? null : StoredInput.Source(returned, body, _apis, deserializers, notFollowed: implementation.Parameters);
                combined = first ? source : combined is not null && source is not null ? combined : null;
                first = false;
            }

            return combined;
        });
    }

    private readonly MethodFactCache<string?> _returnsStored = new(null);

    /// <summary>
    /// The path parameter whose file's existence the method returns, when every body that can run for it is one
    /// <c>return File.Exists(path)</c> (<c>bool FileExists(string path) =&gt; File.Exists(path)</c>, a file-system
    /// wrapper's test); else null.
    /// </summary>
    public IParameterSymbol? ExistenceTested(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (!IsProjectMethod(method) || method.ReturnType.SpecialType != SpecialType.System_Boolean || method.Parameters.IsEmpty)
        {
            return null;
        }

        var ordinal = _existenceTested.Get(method, m =>
        {
            int? tested = null;
            foreach (var (_, body) in SourceBodies.Of(m, _compilation, cancellationToken))
            {
                var returns = body.Descendants().OfType<IReturnOperation>().Take(2).ToList();
                if (returns.Count != 1 || PathKey.Unwrap(returns[0].ReturnedValue) is not IInvocationOperation { TargetMethod.Name: "Exists" } exists
                    || !_apis.Is(exists.TargetMethod.ContainingType, _apis.File)
                    || PathKey.Unwrap(OperationTree.ArgumentFor(exists.Arguments, 0)) is not IParameterReferenceOperation { Parameter.Ordinal: var checkedOrdinal }
                    || (tested is { } other && other != checkedOrdinal)
                    || body.Descendants().Any(o => o is IAssignmentOperation { Target: IParameterReferenceOperation { Parameter.Ordinal: var assigned } } && assigned == checkedOrdinal))
                {
                    return -1;
                }

                tested = checkedOrdinal;
            }

            return tested ?? -1;
        });
        return ordinal >= 0 && ordinal < method.Parameters.Length ? method.Parameters[ordinal] : null;
    }

    private readonly MethodFactCache<int> _existenceTested = new(-1);

    /// <summary>What the call does to the file its <paramref name="argument"/> names (None when unknown).</summary>
    public PathUse UseOf(IInvocationOperation call, IArgumentOperation argument, CancellationToken cancellationToken)
        => argument.Parameter is { } parameter && IsProjectMethod(call.TargetMethod) ? For(call.TargetMethod, cancellationToken).Use(parameter.OriginalDefinition) : PathUse.None;

    private MethodSummary Summarise(IMethodSymbol method, CancellationToken cancellationToken)
    {
        MethodSummary? combined = null;
        foreach (var (implementation, body) in SourceBodies.Of(method, _compilation, cancellationToken))
        {
            var summary = SummariseBody(implementation, body, cancellationToken);
            combined = combined is null ? summary : Agree(combined, summary);
        }

        return combined ?? MethodSummary.Empty;
    }

    /// <summary>What every implementation does: shared uses, and a parse that escapes only when it escapes from all.</summary>
    private static MethodSummary Agree(MethodSummary a, MethodSummary b)
        => new(
            a.Parameters.Length == b.Parameters.Length ? a.Parameters.Zip(b.Parameters, (x, y) => x & y).ToImmutableArray() : ImmutableArray<PathUse>.Empty,
            a.ParsesPathThrows.IsEmpty || b.ParsesPathThrows.IsEmpty ? ImmutableArray<INamedTypeSymbol>.Empty : a.ParsesPathThrows);

    /// <summary>
    /// Whether what the method writes reaches the disk: every body that can run for it flushes a file stream to disk
    /// (Flush(true), FileOptions.WriteThrough, RandomAccess.FlushToDisk), itself or in a project method it calls.
    /// Kept apart from <see cref="For"/>: only a helper that writes a temp is asked, and answering it follows every call
    /// of the body, where the uses of path parameters follow only the calls that pass one on.
    /// </summary>
    public bool FlushesToDisk(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        return IsProjectMethod(method) && _flushes.Get(method, m =>
        {
            bool? all = null;
            foreach (var (_, body) in SourceBodies.Of(m, _compilation, cancellationToken))
            {
                var flushes = BodyFlushesToDisk(body, cancellationToken);
                all = (all ?? true) && flushes;
            }

            return all ?? false;
        });
    }

    private readonly MethodFactCache<bool> _flushes = new(false);

    private bool BodyFlushesToDisk(IOperation body, CancellationToken cancellationToken)
    {
        foreach (var operation in body.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TempFileDurability.IsFlushToDisk(operation, _apis)
                || FileOverwrite.TryMatch(operation, _apis, out var write, anyNewContent: true) && write.Kind == FileOverwriteKind.Stream
                    && TempFileDurability.HasWriteThrough(operation))
            {
                return true;
            }

            // A call of the project's own method that flushes (a move, a delete or a read of a file is not one).
            if (operation is IInvocationOperation call && !FilePromotion.TryGetSource(call, _apis, out _) && !IsFileDelete(call.TargetMethod)
                && !StoredInput.ReadsFile(call.TargetMethod, _apis) && !StoredInput.OpensPath(call, _apis) && !StoredInput.LoadsPathArgument(call)
                && FlushesToDisk(call.TargetMethod, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsFileDelete(IMethodSymbol target)
        => target.Name == "Delete" && (_apis.Is(target.ContainingType, _apis.File) || _apis.Is(target.ContainingType, _apis.FileInfo));

    private MethodSummary SummariseBody(IMethodSymbol method, IOperation body, CancellationToken cancellationToken)
    {
        var parameters = method.Parameters;
        var keys = parameters.Select(p => IsPathType(p.Type) ? PathKey.ForParameter(p.OriginalDefinition) : default).ToArray();
        var uses = new PathUse[parameters.Length];
        var calls = new List<IInvocationOperation>();

        void Mark(IOperation? path, PathUse use)
        {
            var key = PathKey.From(path, _apis);
            for (var i = 0; !key.IsEmpty && i < keys.Length; i++)
            {
                if (keys[i].Equals(key))
                {
                    uses[i] |= use;
                }
            }
        }

        foreach (var operation in body.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (FileOverwrite.TryMatch(operation, _apis, out var write, anyNewContent: true))
            {
                if (write.Kind == FileOverwriteKind.Copy)
                {
                    Mark(write.Target, PathUse.MovesOnto);
                }
                else
                {
                    Mark(write.Target, FileOverwrite.TryMatch(operation, _apis, out _) ? PathUse.Overwrites : PathUse.WritesNew);
                }
            }

            switch (operation)
            {
                case IInvocationOperation call:
                    SummariseCall(call, keys, Mark, cancellationToken);
                    calls.Add(call);
                    break;
                case IObjectCreationOperation creation when StoredInput.OpensPath(creation, _apis)
                    || _apis.Is(creation.Type, _apis.FileStream) && !FileOverwrite.TryMatch(creation, _apis, out _, anyNewContent: true):
                    // new StreamReader(path), or a FileStream opened on an existing file (to read it: AsyncFile.OpenRead(path)).
                    Mark(OperationTree.ArgumentFor(creation.Arguments, 0), PathUse.Reads);
                    break;
            }
        }

        // A loader of the file it is given: a path parameter is read, and a parse of stored input escapes uncaught.
        // (Its parses are looked at only then: tracing their input is the costly part.)
        var parseThrows = new List<INamedTypeSymbol>();
        if (uses.Any(u => (u & PathUse.Reads) != 0) && Deserializers.Create(_compilation) is { } deserializers)
        {
            foreach (var call in calls)
            {
                if (UncaughtParse(call, body, deserializers, cancellationToken) is { } thrown)
                {
                    parseThrows.AddRange(thrown.Where(t => !parseThrows.Contains(t, SymbolEqualityComparer.Default)));
                }
            }
        }

        return new MethodSummary(uses.ToImmutableArray(), parseThrows.ToImmutableArray());
    }

    /// <summary>What a parse of stored file input in this body throws for malformed input when no catch of the body handles it.</summary>
    private ImmutableArray<INamedTypeSymbol>? UncaughtParse(IInvocationOperation call, IOperation body, Deserializers deserializers, CancellationToken cancellationToken)
    {
        IOperation? input;
        ImmutableArray<INamedTypeSymbol> malformed;
        if (!deserializers.TryMatch(call, out input, out malformed, out _)
            && ProjectSerializers.Of(_compilation)?.TryMatch(call, cancellationToken, out input, out malformed, out _) != true)
        {
            return null;
        }

        var fromFile = StoredInput.LoadsPathArgument(call)
            || input is not null && StoredInput.Source(input, body, _apis, deserializers) == StoredInput.File;
        return fromFile && ParsesTypeParameter(call) && !malformed.IsDefaultOrEmpty && !CatchCoverage.IsCaughtInFunction(call, malformed) ? malformed : null;
    }

    /// <summary>
    /// The parse produces a type the helper is given (Deserialize&lt;T&gt;, typeof(T), a Type parameter): a generic loader,
    /// which cannot know what its callers should fall back to. A loader of one concrete model is judged where it parses.
    /// </summary>
    private static bool ParsesTypeParameter(IInvocationOperation call)
        => call.TargetMethod.TypeArguments.Any(t => t is ITypeParameterSymbol)
            || call.Arguments.Any(a => PathKey.Unwrap(a.Value) is ITypeOfOperation { TypeOperand: ITypeParameterSymbol }
                || a.Value.Type?.Name == "Type" && PathKey.Unwrap(a.Value) is IParameterReferenceOperation);

    private void SummariseCall(IInvocationOperation call, PathKey[] keys, Action<IOperation?, PathUse> mark, CancellationToken cancellationToken)
    {
        var target = call.TargetMethod;
        if (FilePromotion.TryGetSource(call, _apis, out var source))
        {
            mark(source, PathUse.MovesAway);
            if (FilePromotion.TryMatchMoveOrReplace(call, _apis, out _, out var destination))
            {
                mark(destination, PathUse.MovesOnto);
            }

            return;
        }

        if (IsFileDelete(target))
        {
            mark(_apis.Is(target.ContainingType, _apis.File) ? OperationTree.ArgumentFor(call.Arguments, 0) : call.Instance, PathUse.Deletes);
            return;
        }

        if (StoredInput.ReadsFile(target, _apis) || StoredInput.OpensPath(call, _apis) || StoredInput.LoadsPathArgument(call))
        {
            mark(_apis.Is(target.ContainingType, _apis.FileInfo) ? call.Instance : OperationTree.ArgumentFor(call.Arguments, 0), PathUse.Reads);
            return;
        }

        // The project's own helper, when one of our path parameters is passed to it: its uses of that parameter. (A
        // call that passes none on is not read: what it does to other files is not this method's.)
        if (!IsProjectMethod(target) || !call.Arguments.Any(a => a.Parameter is not null && PassesKey(a.Value, keys)))
        {
            return;
        }

        var callee = For(target, cancellationToken);
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is { } parameter && callee.Use(parameter.OriginalDefinition) is var use and not PathUse.None)
            {
                mark(argument.Value, use);
            }
        }
    }

    private bool PassesKey(IOperation value, PathKey[] keys)
    {
        var key = PathKey.From(value, _apis);
        return !key.IsEmpty && keys.Any(k => k.Equals(key));
    }

    /// <summary>What a type parameter of the called method (or of its type) is at this call.</summary>
    public static ITypeSymbol? TypeArgumentFor(IInvocationOperation call, ITypeParameterSymbol typeParameter)
    {
        var method = call.TargetMethod;
        if (typeParameter.TypeParameterKind == TypeParameterKind.Method)
        {
            return typeParameter.Ordinal < method.TypeArguments.Length ? method.TypeArguments[typeParameter.Ordinal] : null;
        }

        // A type parameter of the method's type (JsonStore<T>.Save), or of a base type it inherits the method from.
        for (var type = call.Instance?.Type as INamedTypeSymbol ?? method.ContainingType; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, typeParameter.ContainingType?.OriginalDefinition))
            {
                return typeParameter.Ordinal < type.TypeArguments.Length ? type.TypeArguments[typeParameter.Ordinal] : null;
            }
        }

        return null;
    }

    private bool IsPathType(ITypeSymbol type)
        => type.SpecialType == SpecialType.System_String || _apis.Is(type, _apis.FileInfo);
}
