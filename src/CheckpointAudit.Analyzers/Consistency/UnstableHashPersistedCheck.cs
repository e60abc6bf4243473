using System;
using System.Linq;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Consistency;

/// <summary>
/// CKPT501 (compilation end: whether a member is persisted depends on every serializer call): a hash that .NET
/// randomises per process — <c>string.GetHashCode()</c> (also with a StringComparison or through a StringComparer),
/// <c>Type.GetHashCode()</c>, <c>object.GetHashCode()</c> on a type that does not override it, and
/// <c>HashCode.Combine</c>/<c>HashCode.ToHashCode</c> — whose value (followed by <see cref="StoredValueFlow"/>)
/// is kept where another process or a later run reads it: a serialized member of a persisted model, a database
/// value, a file or directory name, or a distributed-cache key. GetHashCode overrides, equality comparers and
/// in-memory dictionaries never reach those places and stay quiet. Reported on the hash call.
/// </summary>
public sealed class UnstableHashPersistedCheck : StoredValueRuleCheck
{
    public UnstableHashPersistedCheck()
        : base(RuleCatalog.UnstableHashPersisted)
    {
    }

    private protected override OperationKind SourceKind => OperationKind.Invocation;

    private protected override Func<IOperation, string?>? SourceMatcher(Compilation compilation)
    {
        var type = KnownTypes.Get(compilation, "System.Type");
        var stringComparer = KnownTypes.Get(compilation, "System.StringComparer");
        var hashCode = KnownTypes.Get(compilation, "System.HashCode");
        return operation => Randomised((IInvocationOperation)operation, type, stringComparer, hashCode);
    }

    /// <summary>How the message names the call when .NET randomises its result per process, else null.</summary>
    private static string? Randomised(IInvocationOperation call, INamedTypeSymbol? type, INamedTypeSymbol? stringComparer, INamedTypeSymbol? hashCode)
    {
        var method = call.TargetMethod;
        if (method.Name is not ("GetHashCode" or "Combine" or "ToHashCode"))
        {
            return null; // the cheap test first: this runs for every invocation
        }

        if (hashCode is not null && method.Name is "Combine" or "ToHashCode" && SymbolEqualityComparer.Default.Equals(method.ContainingType, hashCode))
        {
            return "HashCode." + method.Name + (method.Name == "Combine" ? "(...)" : "()");
        }

        if (method.Name != "GetHashCode")
        {
            return null;
        }

        if (method.ContainingType?.SpecialType == SpecialType.System_String)
        {
            return "string.GetHashCode()";
        }

        if (stringComparer is not null && method.Parameters.Length == 1 && Inherits(method.ContainingType, stringComparer))
        {
            return "StringComparer.GetHashCode(string)";
        }

        var receiver = call.Instance?.Type;
        if (method.Parameters.Length != 0 || receiver is null)
        {
            return null;
        }

        if (type is not null && Inherits(receiver as INamedTypeSymbol, type))
        {
            return "Type.GetHashCode()";
        }

        // object.GetHashCode() not overridden: the identity hash of a reference type differs on every run.
        return method.ContainingType?.SpecialType == SpecialType.System_Object && receiver.IsReferenceType && receiver.SpecialType != SpecialType.System_Object
            && receiver.TypeKind == TypeKind.Class && !IsRecordOrAnonymous(receiver)
            ? $"object.GetHashCode() on '{receiver.Name}'"
            : null;
    }

    private static bool IsRecordOrAnonymous(ITypeSymbol type) => type.IsAnonymousType || type.GetMembers("<Clone>$").Any();

    private static bool Inherits(INamedTypeSymbol? type, INamedTypeSymbol ancestor)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, ancestor))
            {
                return true;
            }
        }

        return false;
    }
}
