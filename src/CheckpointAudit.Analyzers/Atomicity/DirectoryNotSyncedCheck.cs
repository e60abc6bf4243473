using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Atomicity;

/// <summary>
/// CKPT207 (MONITOR): a temp file that the body made durable (Flush(true), WriteThrough) is moved
/// over the target, and the directory is never fsynced. On POSIX file systems the rename itself
/// lives in the directory, which is only durable once the directory is synced. Reported only after
/// the data is durable: before that, CKPT202 is the finding that matters. Windows-only code is skipped.
/// </summary>
public sealed class DirectoryNotSyncedCheck : FileRuleCheck
{
    public DirectoryNotSyncedCheck()
        : base(RuleCatalog.DirectoryNotSynced, OperationKind.Invocation)
    {
    }

    /// <summary>Not for .NET Framework (Windows) nor for assemblies marked [SupportedOSPlatform("windows")].</summary>
    private protected override bool AppliesTo(Compilation compilation)
    {
        if (compilation.GetSpecialType(SpecialType.System_Object).ContainingAssembly?.Name == "mscorlib")
        {
            return false;
        }

        var windowsOnly = false;
        foreach (var attribute in compilation.Assembly.GetAttributes())
        {
            if (!KnownAttributes.Is(attribute, KnownAttributes.SupportedOSPlatform))
            {
                continue;
            }

            if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string platform
                && platform.StartsWith("windows", System.StringComparison.OrdinalIgnoreCase))
            {
                windowsOnly = true;
            }
            else
            {
                return true; // another platform is supported too
            }
        }

        return !windowsOnly;
    }

    private protected override void Analyze(OperationAnalysisContext context, FileApiSymbols apis, RuleScope scope)
    {
        var promotion = (IInvocationOperation)context.Operation;
        if (!FilePromotion.TryMatchMoveOrReplace(promotion, apis, out var source, out var target) || !scope.Includes(context))
        {
            return;
        }

        var root = OperationTree.Root(promotion);
        if (TempFileDurability.Of(PathKey.From(source, apis), root, promotion, apis, out _) != TempWriteState.Durable
            || SyncsDirectory(root, depth: 0))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Rule.Descriptor,
            promotion.Syntax.GetLocation(),
            source.Syntax.ToString(),
            target?.Syntax.ToString() ?? "the target"));
    }

    /// <summary>A call of fsync/fdatasync (P/Invoke or Mono.Posix) in the body or in a same-file method it calls.</summary>
    private static bool SyncsDirectory(IOperation body, int depth)
    {
        foreach (var operation in body.Descendants())
        {
            if (operation is not IInvocationOperation call)
            {
                continue;
            }

            if (IsFsync(call.TargetMethod))
            {
                return true;
            }

            if (depth == 0 && SameFileBody.Of(call) is { } callee && SyncsDirectory(callee, depth + 1))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsFsync(IMethodSymbol method)
    {
        var entryPoint = method.GetDllImportData()?.EntryPointName ?? method.Name;
        foreach (var attribute in method.GetAttributes())
        {
            if (KnownAttributes.Is(attribute, KnownAttributes.LibraryImport))
            {
                foreach (var named in attribute.NamedArguments)
                {
                    if (named.Key == "EntryPoint" && named.Value.Value is string name)
                    {
                        entryPoint = name;
                    }
                }
            }
        }

        var native = method.IsExtern
            || method.GetDllImportData() is not null
            || SymbolNames.IsNamespace(method.ContainingType.ContainingNamespace, "Mono.Unix.Native")
            || method.IsPartialDefinition;
        return native && (string.Equals(entryPoint, "fsync", System.StringComparison.OrdinalIgnoreCase) || string.Equals(entryPoint, "fdatasync", System.StringComparison.OrdinalIgnoreCase));
    }
}
