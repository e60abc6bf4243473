using System.Collections.Immutable;
using CheckpointAudit.Catalog;
using CheckpointAudit.Checks;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace CheckpointAudit.Schema;

/// <summary>
/// CKPT103: a persisted model's schema version member (see <see cref="SchemaVersionMember"/>) has an
/// initializer with a non-default constant value (<c>= 3</c>, <c>= CurrentVersion</c>, <c>= "2.0"</c>). The
/// serializers that construct the object before filling it (System.Text.Json, Newtonsoft.Json,
/// XmlSerializer) leave the initializer's value in place when the stored data has no version field, so
/// data written before versioning loads as current. DataContractSerializer does not run initializers and
/// is not judged. Reported at the serializer call (the evidence), with the initializer as additional location when it is
/// in this compilation (not for a model declared in a referenced project).
/// </summary>
public sealed class VersionStartsAtCurrentCheck : SchemaRuleCheck
{
    public VersionStartsAtCurrentCheck()
        : base(RuleCatalog.VersionStartsAtCurrent)
    {
    }

    private protected override void Register(CheckStart start, PersistedModels models, CheckpointAuditOptions options)
        => start.RegisterOperationAction(c => Analyze(c, models, options), OperationKind.Invocation);

    private void Analyze(OperationAnalysisContext context, PersistedModels models, CheckpointAuditOptions options)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var tree = invocation.Syntax.SyntaxTree;
        if (models.Match(invocation) is not { Serializer: not SerializerKind.DataContract } evidence || !options.IsAnalyzed(tree))
        {
            return;
        }

        foreach (var model in evidence.Models)
        {
            if (SchemaVersionMember.Find(model, options.SchemaVersionMembers(tree)) is { } member
                && StartingValue(member, invocation.SemanticModel!.Compilation, context.CancellationToken) is { } start)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Rule.Descriptor,
                    invocation.Syntax.GetLocation(),
                    InCompilationLocation.Of(start.Initializer, context.Compilation) is { } initializer ? new[] { initializer } : null,
                    ImmutableDictionary<string, string?>.Empty.Add(MissingSchemaVersionCheck.SerializerProperty, evidence.Serializer.ToString()),
                    model.Name,
                    member.Name,
                    start.Text));
            }
        }
    }

    /// <summary>The member's initializer and its value as written, when that value is a constant other than 0, null or "".</summary>
    private static (EqualsValueClauseSyntax Initializer, string Text)? StartingValue(ISymbol member, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        if (member.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        var initializer = member.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) switch
        {
            PropertyDeclarationSyntax property => property.Initializer,
            VariableDeclaratorSyntax field => field.Initializer,
            _ => null,
        };
        if (initializer is null)
        {
            return null;
        }

        // A model of a referenced project is bound in that project's compilation.
        if (DeclaringCompilation.Of(initializer.SyntaxTree, compilation) is not { } declaring)
        {
            return null;
        }

#pragma warning disable RS1030 // Only for a version member with an initializer, usually in another file than the serializer call.
        var model = declaring.GetSemanticModel(initializer.SyntaxTree);
#pragma warning restore RS1030
        var value = model.GetConstantValue(initializer.Value, cancellationToken);
        var isDefault = !value.HasValue || value.Value is null or "" || (value.Value is System.IConvertible number && value.Value is not string && System.Convert.ToDecimal(number, System.Globalization.CultureInfo.InvariantCulture) == 0);
        return isDefault ? null : (initializer, value.Value is string text ? "\"" + text + "\"" : System.Convert.ToString(value.Value, System.Globalization.CultureInfo.InvariantCulture)!);
    }
}
