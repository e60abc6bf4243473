using System.Collections.Immutable;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Atomicity;

/// <summary>
/// CKPT205: a file opened for writing without truncation (File.OpenWrite, FileInfo.OpenWrite,
/// FileMode.Open/OpenOrCreate with write access, or with no access stated and then written to) and written from the start: when the new
/// content is shorter, the end of the old content stays behind it.
/// </summary>
public sealed class StaleTailWriteCheck : FileRuleCheck
{
    private const int FileModeOpen = 3;
    private const int FileModeOpenOrCreate = 4;
    private const int FileAccessWrite = 2;
    private const int FileAccessReadWrite = 3;

    public StaleTailWriteCheck()
        : base(RuleCatalog.StaleTailWrite, OperationKind.Invocation, OperationKind.ObjectCreation)
    {
    }

    private protected override void Analyze(OperationAnalysisContext context, FileApiSymbols apis, RuleScope scope)
    {
        if (!TryMatch(context.Operation, apis, out var target, out var api))
        {
            return;
        }

        if (!scope.Includes(context))
        {
            return;
        }

        // Positioned or resized writes (SetLength, Seek, Position =) are deliberate in-place updates.
        var root = OperationTree.Root(context.Operation);
        if (HasPositioningOrTruncation(root) || PathOrigin.IsFreshOrScratch(target, root, apis)
            || EmptyFileWrite.IsOpenedAndClosedUnused(context.Operation, root) || StreamHandOff.Is(context.Operation, root))
        {
            return;
        }

        // A file opened only when it does not exist yet, or deleted just before, has no old content to leave behind
        // (deleted first, it is rewritten in place: CKPT201's).
        if (WrittenData.OnlyWhenAbsent(context.Operation, target, root, apis) || FileOverwrite.DeletedBefore(context.Operation, target, apis))
        {
            return;
        }

        var holds = WrittenData.Classify(context.Operation, target, content: null, root, apis);
        context.ReportDiagnostic(DataHeldDiagnostic.Create(Rule, context.Operation.Syntax.GetLocation(), holds, target.Syntax.ToString(), api));
    }

    private static bool TryMatch(IOperation operation, FileApiSymbols apis, out IOperation target, out string api)
    {
        target = null!;
        api = "";
        switch (operation)
        {
            case IInvocationOperation invocation when invocation.TargetMethod.Name is not ("OpenWrite" or "Open"):
                break; // the cheap test first: this runs for every invocation
            case IInvocationOperation invocation when apis.Is(invocation.TargetMethod.ContainingType, apis.File):
                var name = invocation.TargetMethod.Name;
                if (name == "OpenWrite" || (name == "Open" && OpensForWriteWithoutTruncation(invocation.Arguments, invocation.TargetMethod.Parameters, 1, apis)))
                {
                    target = OperationTree.ArgumentFor(invocation.Arguments, 0)!;
                    api = "File." + name;
                }

                break;
            case IInvocationOperation invocation when apis.Is(invocation.TargetMethod.ContainingType, apis.FileInfo) && invocation.Instance is not null:
                if (invocation.TargetMethod.Name == "OpenWrite"
                    || (invocation.TargetMethod.Name == "Open" && OpensForWriteWithoutTruncation(invocation.Arguments, invocation.TargetMethod.Parameters, 0, apis)))
                {
                    target = invocation.Instance;
                    api = "FileInfo." + invocation.TargetMethod.Name;
                }

                break;
            case IObjectCreationOperation creation when apis.Is(creation.Type, apis.FileStream) && creation.Constructor is { } constructor
                && constructor.Parameters.Length > 1 && constructor.Parameters[0].Type.SpecialType == SpecialType.System_String:
                if (OpensForWriteWithoutTruncation(creation.Arguments, constructor.Parameters, 1, apis))
                {
                    target = OperationTree.ArgumentFor(creation.Arguments, 0)!;
                    api = "new FileStream";
                }

                break;
        }

        return target is not null;
    }

    /// <summary>FileMode.Open/OpenOrCreate at <paramref name="ordinal"/> with FileAccess.Write or ReadWrite after it.</summary>
    private static bool OpensForWriteWithoutTruncation(ImmutableArray<IArgumentOperation> arguments, ImmutableArray<IParameterSymbol> parameters, int ordinal, FileApiSymbols apis)
    {
        if (ordinal >= parameters.Length || !apis.Is(parameters[ordinal].Type, apis.FileMode)
            || PathKey.Unwrap(OperationTree.ArgumentFor(arguments, ordinal)) is not { ConstantValue: { HasValue: true, Value: int mode } }
            || mode is not (FileModeOpen or FileModeOpenOrCreate))
        {
            return false;
        }

        // FileMode.Open alone (ReadWrite by default) is mostly used to read: without a stated access, only a stream the
        // body then writes to counts.
        if (ordinal + 1 >= parameters.Length || parameters[ordinal + 1].Type.Name != "FileAccess")
        {
            return arguments.Length > 0 && IsWrittenTo(arguments[0].Parent!);
        }

        return PathKey.Unwrap(OperationTree.ArgumentFor(arguments, ordinal + 1)) is { ConstantValue: { HasValue: true, Value: int access } }
            && access is FileAccessWrite or FileAccessReadWrite;
    }

    /// <summary>
    /// The opened stream, directly or through the local it is declared in, is written: a Write* call on it, or it is
    /// handed to a writer (StreamWriter, XmlWriter.Create, XmlTextWriter, BinaryWriter) or a serializer's Serialize/Save.
    /// </summary>
    private static bool IsWrittenTo(IOperation opened)
    {
        var uses = new System.Collections.Generic.List<IOperation> { opened };
        var use = opened;
        while (use.Parent is IConversionOperation or IParenthesizedOperation)
        {
            use = use.Parent;
        }

        if (use.Parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
        {
            foreach (var operation in OperationTree.Root(opened).Descendants())
            {
                if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, declarator.Symbol))
                {
                    uses.Add(reference);
                }
            }
        }

        foreach (var stream in uses)
        {
            var value = stream;
            while (value.Parent is IConversionOperation or IParenthesizedOperation)
            {
                value = value.Parent;
            }

            switch (value.Parent)
            {
                case IInvocationOperation call when ReferenceEquals(call.Instance, value) && call.TargetMethod.Name.StartsWith("Write", System.StringComparison.Ordinal):
                    return true;
                case IArgumentOperation { Parent: IObjectCreationOperation { Type.Name: "StreamWriter" or "XmlTextWriter" or "BinaryWriter" } }:
                    return true;
                case IArgumentOperation { Parent: IInvocationOperation call } when call.TargetMethod.Name is "Create" && call.TargetMethod.ContainingType.Name == "XmlWriter"
                    || call.TargetMethod.Name.StartsWith("Serialize", System.StringComparison.Ordinal) || call.TargetMethod.Name is "Save" or "WriteObject":
                    return true;
            }
        }

        return false;
    }

    private static bool HasPositioningOrTruncation(IOperation root)
    {
        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case IInvocationOperation { TargetMethod.Name: "SetLength" or "Seek" }:
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Position" } }:
                    return true;
            }
        }

        return false;
    }
}
