using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// The entity types EF Core stores for this project: the type arguments of <c>DbSet&lt;T&gt;</c> properties of the
/// project's <c>DbContext</c> classes, and the types they reach through navigation properties. Their mapped
/// properties are database columns: a value assigned to one is persisted when the context saves. Empty when EF Core
/// is not referenced.
/// </summary>
internal static class EfCoreEntities
{
    public static HashSet<INamedTypeSymbol> Of(Compilation compilation, CancellationToken cancellationToken)
    {
        var entities = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        var context = KnownTypes.Get(compilation, "Microsoft.EntityFrameworkCore.DbContext");
        var set = KnownTypes.Get(compilation, "Microsoft.EntityFrameworkCore.DbSet`1");
        if (context is null || set is null)
        {
            return entities;
        }

        foreach (var type in compilation.GetSymbolsWithName(_ => true, SymbolFilter.Type, cancellationToken).OfType<INamedTypeSymbol>())
        {
            if (!TypeRelations.InheritsFrom(type, context))
            {
                continue;
            }

            foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
            {
                if (property.Type is INamedTypeSymbol { TypeArguments.Length: 1 } dbSet && SymbolEqualityComparer.Default.Equals(dbSet.OriginalDefinition, set)
                    && dbSet.TypeArguments[0] is INamedTypeSymbol entity)
                {
                    entities.Add(entity.OriginalDefinition);
                }
            }
        }

        return entities;
    }
}
