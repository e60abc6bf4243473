using System.Collections.Generic;
using System.Linq;
using CheckpointAudit.Knowledge;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace CheckpointAudit.CodeFixes.Schema;

/// <summary>
/// Writes the current schema version into a model whenever it is serialized, whatever code created it:
/// System.Text.Json through IJsonOnSerializing, Newtonsoft.Json and DataContractSerializer through an
/// [OnSerializing] method. XmlSerializer has no such callback. Shared by the Schema fixes.
/// </summary>
internal static class SchemaVersionStamp
{
    /// <summary>The constant the fixes add for the version this build writes.</summary>
    public const string ConstantName = "CurrentSchemaVersion";

    /// <summary>Whether a callback can be added: the serializer has one, the type is a class, and it has no callback of that kind yet.</summary>
    public static bool CanStamp(INamedTypeSymbol type, SerializerKind serializer, Compilation compilation)
    {
        if (type.TypeKind != TypeKind.Class)
        {
            return false;
        }

        switch (serializer)
        {
            case SerializerKind.SystemTextJson:
                var callback = compilation.GetTypeByMetadataName("System.Text.Json.Serialization.IJsonOnSerializing");
                return callback is not null && !type.AllInterfaces.Contains(callback, SymbolEqualityComparer.Default);
            case SerializerKind.Newtonsoft or SerializerKind.DataContract:
                // A type may have one [OnSerializing] method only (DataContractSerializer throws otherwise).
                var onSerializing = compilation.GetTypeByMetadataName("System.Runtime.Serialization.OnSerializingAttribute");
                return onSerializing is not null
                    && !type.GetMembers().Any(m => m.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, onSerializing)));
            default:
                return false;
        }
    }

    /// <summary>The callback member: "member = value" on every serialization.</summary>
    public static string Callback(SerializerKind serializer, string member, string value)
        => serializer == SerializerKind.SystemTextJson
            ? $"void global::System.Text.Json.Serialization.IJsonOnSerializing.OnSerializing() => {member} = {value};\n"
            : $"[global::System.Runtime.Serialization.OnSerializing]\nprivate void StampSchemaVersion(global::System.Runtime.Serialization.StreamingContext context) => {member} = {value};\n";

    /// <summary>
    /// Inserts members (C# text, global::-qualified) at the top of the type, a blank line between them and
    /// the existing ones, giving a body to "record R(...);" and, for System.Text.Json, adding IJsonOnSerializing
    /// to the base list. Only the new code is formatted.
    /// </summary>
    public static TypeDeclarationSyntax Insert(TypeDeclarationSyntax declaration, IEnumerable<string> memberTexts, SerializerKind serializer, SyntaxTrivia newLine)
    {
        var members = memberTexts.Select((text, index) => SyntaxCleanup.MarkForImportAndSimplification(SyntaxFactory.ParseMemberDeclaration((index > 0 ? "\n" : string.Empty) + text)!)
            .WithAdditionalAnnotations(Formatter.Annotation));

        // "record Settings(string Name);" has no body yet.
        if (declaration.OpenBraceToken.IsKind(SyntaxKind.None))
        {
            declaration = declaration
                .WithSemicolonToken(default)
                .WithOpenBraceToken(SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(newLine))
                .WithCloseBraceToken(SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithTrailingTrivia(declaration.SemicolonToken.TrailingTrivia))
                .WithAdditionalAnnotations(Formatter.Annotation);
        }

        // "class Job { }": the new members start on their own line.
        if (!declaration.OpenBraceToken.TrailingTrivia.Any(SyntaxKind.EndOfLineTrivia))
        {
            declaration = declaration.WithOpenBraceToken(declaration.OpenBraceToken.WithTrailingTrivia(newLine));
        }

        // A blank line between the new members and the first existing one, in the file's own line ending.
        var existing = declaration.Members;
        if (existing.Count > 0)
        {
            existing = existing.Replace(existing[0], existing[0].WithLeadingTrivia(existing[0].GetLeadingTrivia().Insert(0, newLine)));
        }

        var updated = declaration.WithMembers(existing.InsertRange(0, members));
        if (serializer != SerializerKind.SystemTextJson)
        {
            return updated;
        }

        var callback = SyntaxFactory.SimpleBaseType(SyntaxCleanup.MarkForImportAndSimplification(SyntaxFactory.ParseTypeName("global::System.Text.Json.Serialization.IJsonOnSerializing")));
        if (updated.BaseList is not null)
        {
            return updated.WithBaseList(updated.BaseList.AddTypes(callback));
        }

        // The base list goes after the name, type parameters or record parameters; their line break moves after it.
        var last = updated.ParameterList?.CloseParenToken ?? updated.TypeParameterList?.GreaterThanToken ?? updated.Identifier;
        var trailing = last.TrailingTrivia;
        updated = updated.ReplaceToken(last, last.WithTrailingTrivia());
        var baseList = SyntaxFactory.BaseList(
            SyntaxFactory.Token(SyntaxKind.ColonToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space),
            SyntaxFactory.SingletonSeparatedList<BaseTypeSyntax>(callback));
        return updated.WithBaseList(baseList.WithTrailingTrivia(trailing));
    }

    /// <summary>The file's own line ending (CRLF when the file has none yet).</summary>
    public static SyntaxTrivia NewLineOf(SyntaxNode root)
    {
        var newLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        return newLine.IsKind(SyntaxKind.EndOfLineTrivia) ? newLine : SyntaxFactory.CarriageReturnLineFeed;
    }
}
