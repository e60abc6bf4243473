using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The types of a compilation opted in as persisted (<see cref="Reason"/>), found once and
/// shared by every rule. Only files that can opt a type in are read: those whose text names a Checkpoint or
/// Persisted attribute, and those that checkpoint_audit.persisted_types applies to. (A type marked through an alias
/// declared in another file is not seen.)
/// </summary>
internal static class OptedInTypes
{
    private static readonly ConditionalWeakTable<CheckpointAuditOptions, Holder> PerOptions = new();

    public static ImmutableArray<INamedTypeSymbol> Of(Compilation compilation, CheckpointAuditOptions options)
        => PerOptions.GetValue(options, _ => new Holder(compilation, options)).Types;

    private sealed class Holder(Compilation compilation, CheckpointAuditOptions options)
    {
        private ImmutableArray<INamedTypeSymbol> _types;

        public ImmutableArray<INamedTypeSymbol> Types
        {
            get
            {
                if (_types.IsDefault)
                {
                    ImmutableInterlocked.InterlockedInitialize(ref _types, Find(compilation, options));
                }

                return _types;
            }
        }
    }

    private static ImmutableArray<INamedTypeSymbol> Find(Compilation compilation, CheckpointAuditOptions options)
    {
        var found = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var tree in compilation.SyntaxTrees)
        {
            var text = tree.GetText();
            if (!options.IsAnalyzed(tree)
                || (options.PersistedTypes(tree).IsEmpty && !SourceSearch.Names(text, "Checkpoint") && !SourceSearch.Names(text, "Persisted")))
            {
                continue;
            }

#pragma warning disable RS1030 // Once per compilation, only for the files that can opt a type in.
            var model = compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
            var declarations = tree.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax)
                .OfType<TypeDeclarationSyntax>();
            foreach (var declaration in declarations)
            {
                if (model.GetDeclaredSymbol(declaration, CancellationToken.None) is INamedTypeSymbol type && Reason(type, options) is not null)
                {
                    found.Add(type);
                }
            }
        }

        return found.OrderBy(t => t.Locations[0].SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(t => t.Locations[0].SourceSpan.Start).ToImmutableArray();
    }

    /// <summary>Why a type is opted in as persisted (null when it is not): an attribute named Checkpoint/Persisted, or checkpoint_audit.persisted_types.</summary>
    internal static string? Reason(INamedTypeSymbol type, CheckpointAuditOptions options)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || type.Locations.IsEmpty || type.Locations[0].SourceTree is not { } tree
            || !options.IsAnalyzed(tree))
        {
            return null;
        }

        foreach (var attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass?.Name is "CheckpointAttribute" or "PersistedAttribute")
            {
                return "marked [" + attribute.AttributeClass.Name.Substring(0, attribute.AttributeClass.Name.Length - "Attribute".Length) + "]";
            }
        }

        return options.PersistedTypes(tree).Matches(type) ? "listed in checkpoint_audit.persisted_types" : null;
    }
}
