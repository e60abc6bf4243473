using System.Composition;
using System.Linq;
using CheckpointAudit.Catalog;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.CodeFixes.Atomicity;

/// <summary>
/// CKPT206 "Use a unique temp name": a new GUID goes into the temp local's value just before its
/// last extension, so that the name keeps its pattern (path + ".tmp" becomes
/// path + "." + GUID + ".tmp", still matched by "*.tmp" when leftovers are swept).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UniqueTempNameCodeFixProvider))]
[Shared]
public sealed class UniqueTempNameCodeFixProvider : TempPathRewriteCodeFixProvider
{
    public static readonly string EquivalenceKey = RuleCatalog.SharedTempName.Id + ".UniqueTempName";

    public UniqueTempNameCodeFixProvider()
        : base(RuleCatalog.SharedTempName, EquivalenceKey)
    {
    }

    private protected override ExpressionSyntax? Rewrite(ExpressionSyntax declared, Diagnostic diagnostic, SemanticModel model)
    {
        // The last constant text of the name: the suffix the unique part goes in front of. The
        // whole value is re-parsed from its edited text so that it gets the shape the parser gives.
        var last = declared.DescendantNodesAndSelf()
            .Where(n => n is InterpolatedStringTextSyntax || n.IsKind(SyntaxKind.StringLiteralExpression))
            .LastOrDefault();
        string edited;
        switch (last)
        {
            case LiteralExpressionSyntax literal:
                var (stem, extension) = Split(literal.Token.ValueText);
                edited = Edit(declared, literal, Quote(stem + ".") + " + " + UniqueTempName.Part + (extension.Length > 0 ? " + " + Quote(extension) : string.Empty));
                break;
            case InterpolatedStringTextSyntax interpolatedText:
                // "::" would end the hole, so the hole names System.Guid, not global::System.Guid.
                var (rawStem, rawExtension) = Split(interpolatedText.TextToken.Text);
                edited = Edit(declared, interpolatedText, rawStem + ".{" + UniqueTempName.GuidInInterpolation + ":N}" + rawExtension);
                break;
            default:
                var operand = declared is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or LiteralExpressionSyntax
                    ? declared.ToString()
                    : "(" + declared + ")";
                edited = operand + " + \".\" + " + UniqueTempName.Part;
                break;
        }

        return SyntaxFactory.ParseExpression(edited);
    }

    /// <summary>The text of <paramref name="whole"/> with <paramref name="part"/> replaced.</summary>
    private static string Edit(SyntaxNode whole, SyntaxNode part, string replacement)
    {
        var text = whole.ToString();
        var start = part.SpanStart - whole.SpanStart;
        return text.Substring(0, start) + replacement + text.Substring(start + part.Span.Length);
    }

    /// <summary>"state.tmp" → ("state", ".tmp"); ".tmp" → ("", ".tmp"); "~" → ("~", "").</summary>
    private static (string Stem, string Extension) Split(string text)
    {
        var dot = text.LastIndexOf('.');
        return dot < 0 ? (text, string.Empty) : (text.Substring(0, dot), text.Substring(dot));
    }

    private static string Quote(string text)
        => SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(text)).ToString();
}
