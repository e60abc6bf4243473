using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CheckpointAudit.Knowledge;

/// <summary>
/// Whether one operation can run after another in one pass through a body, read from the syntax between the two
/// up to their closest common ancestor (no control-flow graph). Rules that pair two operations by source order —
/// a delete and a later move, a completion record and a later write, a status read and a later update — ask it
/// so that two branches of which only one runs, or an operation followed by a return, are not taken for a
/// sequence. Loop back edges are not followed, as the source-order pairing itself does not follow them.
/// What the walk cannot decide (goto, a jump out of a statement in between, a try whose catch can resume, a
/// lambda) answers "can run": the answer only makes a rule quieter where the syntax is sure.
/// </summary>
internal static class ExecutionOrder
{
    public static bool CanRunAfter(IOperation first, IOperation later) => CanRunAfter(first.Syntax, later.Syntax);

    /// <summary>
    /// False when <paramref name="later"/>, which begins after <paramref name="first"/> in the same body, cannot
    /// run after it: the two sit in different branches of one if/else, ?:, switch statement or switch expression,
    /// or in two catch clauses of one try; or <paramref name="first"/> is part of a return or throw, or is followed
    /// in its block, before <paramref name="later"/> is reached, by a return, throw, yield break, or a
    /// break/continue that leaves the loop or switch holding <paramref name="later"/>.
    /// </summary>
    public static bool CanRunAfter(SyntaxNode first, SyntaxNode later)
    {
        // Another tree, or one inside the other (an argument of the call): nothing here rules it out.
        if (first.SyntaxTree != later.SyntaxTree || first.Span.OverlapsWith(later.Span) || first.Span.Contains(later.Span) || later.Span.Contains(first.Span))
        {
            return true;
        }

        // Spans nest or are disjoint, so the first ancestor of `first` that covers `later` is the common one.
        var firstSide = first;
        var common = first.Parent;
        while (common is not null && !common.Span.Contains(later.Span))
        {
            firstSide = common;
            common = common.Parent;
        }

        var laterSide = later;
        while (laterSide.Parent is { } parent && parent != common)
        {
            laterSide = parent;
        }

        if (common is null || laterSide.Parent != common)
        {
            return true;
        }

        return !AreExclusive(common, firstSide, laterSide) && !LeavesBefore(first, common, laterSide, later);
    }

    /// <summary>Whether two different children of <paramref name="common"/> are branches of which at most one runs.</summary>
    private static bool AreExclusive(SyntaxNode common, SyntaxNode one, SyntaxNode other) => common switch
    {
        IfStatementSyntax ifStatement => IsPair(ifStatement.Statement, ifStatement.Else, one, other),
        ConditionalExpressionSyntax conditional => IsPair(conditional.WhenTrue, conditional.WhenFalse, one, other),
        // Sections do not fall through; a goto (case) can still run one after another.
        SwitchStatementSyntax switchStatement => one is SwitchSectionSyntax && other is SwitchSectionSyntax
            && !switchStatement.DescendantNodes().OfType<GotoStatementSyntax>().Any(),
        SwitchExpressionSyntax => one is SwitchExpressionArmSyntax && other is SwitchExpressionArmSyntax,
        TryStatementSyntax => one is CatchClauseSyntax && other is CatchClauseSyntax,
        _ => false,
    };

    private static bool IsPair(SyntaxNode? a, SyntaxNode? b, SyntaxNode one, SyntaxNode other)
        => a is not null && b is not null && ((one == a && other == b) || (one == b && other == a));

    /// <summary>
    /// Whether control, once past <paramref name="first"/>, surely leaves before reaching <paramref name="later"/>:
    /// the statement holding it returns or throws, or a statement after it in one of its blocks (below the common
    /// ancestor, or between the two in the common block) jumps out of the function or out of the loop that holds
    /// <paramref name="later"/>.
    /// </summary>
    private static bool LeavesBefore(SyntaxNode first, SyntaxNode common, SyntaxNode laterSide, SyntaxNode later)
    {
        // `later` in a catch or finally of the try that holds `first`: a throw or a return can lead there.
        if (common is TryStatementSyntax)
        {
            return false;
        }

        for (var node = first; node.Parent != common; node = node.Parent!)
        {
            switch (node.Parent)
            {
                // Its jumps leave only the lambda or local function, not the body that holds `later`.
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax:
                    return false;
                // Anything that throws there resumes in the catch and can go on to `later`.
                case TryStatementSyntax { Catches.Count: > 0 } tryStatement when node == tryStatement.Block:
                    return false;
            }
        }

        for (var node = first; node != common; node = node.Parent!)
        {
            // `return Query(...)`: the statement holding `first` leaves once it is evaluated.
            if (node is ReturnStatementSyntax or ThrowStatementSyntax)
            {
                return true;
            }

            var statements = node.Parent switch
            {
                BlockSyntax block => block.Statements,
                SwitchSectionSyntax section => section.Statements,
                _ => default,
            };
            if (node is not StatementSyntax statement || statements.Count == 0)
            {
                continue;
            }

            var end = node.Parent == common ? statements.IndexOf(laterSide as StatementSyntax ?? statement) : statements.Count;
            for (var i = statements.IndexOf(statement) + 1; i < end; i++)
            {
                switch (FlowAfter(statements[i], later))
                {
                    case Flow.Leaves:
                        return true;
                    case Flow.MayJump:
                        return false;
                }
            }
        }

        return false;
    }

    private enum Flow
    {
        /// <summary>Control goes on to the next statement (or leaves by a return or throw nested inside).</summary>
        FallsThrough,

        /// <summary>Control surely leaves the function, or the loop or switch that holds the later operation.</summary>
        Leaves,

        /// <summary>Control may jump somewhere the walk does not follow (goto, a break out of a nested statement).</summary>
        MayJump,
    }

    private static Flow FlowAfter(StatementSyntax statement, SyntaxNode later)
    {
        switch (statement)
        {
            case ReturnStatementSyntax or ThrowStatementSyntax:
            case YieldStatementSyntax yield when yield.IsKind(SyntaxKind.YieldBreakStatement):
                return Flow.Leaves;
            case BreakStatementSyntax:
                return JumpTarget(statement, orSwitch: true) is { } broken && broken.Span.Contains(later.Span) ? Flow.Leaves : Flow.MayJump;
            case ContinueStatementSyntax:
                // A continue goes on to a for's incrementors or a do's condition: `later` there still runs.
                return JumpTarget(statement, orSwitch: false) is { } loop && LoopBody(loop) is { } body && body.Span.Contains(later.Span) ? Flow.Leaves : Flow.MayJump;
            case GotoStatementSyntax:
                return Flow.MayJump;
            case LabeledStatementSyntax labeled:
                return FlowAfter(labeled.Statement, later);
            default:
                return Escapes(statement) ? Flow.MayJump : Flow.FallsThrough;
        }
    }

    /// <summary>A goto, or a break/continue whose loop or switch is outside <paramref name="statement"/>.</summary>
    private static bool Escapes(StatementSyntax statement)
    {
        foreach (var node in statement.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            var escapes = node switch
            {
                GotoStatementSyntax => true,
                BreakStatementSyntax => JumpTarget(node, orSwitch: true) is not { } target || !statement.Span.Contains(target.Span),
                ContinueStatementSyntax => JumpTarget(node, orSwitch: false) is not { } target || !statement.Span.Contains(target.Span),
                _ => false,
            };
            if (escapes)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The loop (or switch, for a break) that a break or continue leaves.</summary>
    private static SyntaxNode? JumpTarget(SyntaxNode jump, bool orSwitch)
    {
        for (var parent = jump.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax:
                    return parent;
                case SwitchStatementSyntax when orSwitch:
                    return parent;
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    private static StatementSyntax? LoopBody(SyntaxNode loop) => loop switch
    {
        WhileStatementSyntax whileLoop => whileLoop.Statement,
        DoStatementSyntax doLoop => doLoop.Statement,
        ForStatementSyntax forLoop => forLoop.Statement,
        CommonForEachStatementSyntax forEach => forEach.Statement,
        _ => null,
    };
}
