using CheckpointAudit.Knowledge;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Xunit;

namespace CheckpointAudit.Tests.Knowledge;

/// <summary>
/// <see cref="MutualExclusion"/>, the one test of "this code is serialized" that CKPT206 and CKPT606 share: each case is
/// a read of <c>_shared</c> in the method of that name.
/// </summary>
public class MutualExclusionTests
{
    private const string Source = """
        using System.Threading;

        namespace Project.Locks { public sealed class Gate { public void Wait() { } } }

        class Store
        {
            private readonly object _sync = new();
            private readonly SemaphoreSlim _semaphore = new(1, 1);
            private readonly Project.Locks.Gate _gate = new();
            private object _shared = new();

            void InLock() { lock (_sync) { Use(_shared); } }
            void AfterSemaphoreWait() { _semaphore.Wait(); try { Use(_shared); } finally { _semaphore.Release(); } }
            void BeforeSemaphoreWait() { Use(_shared); _semaphore.Wait(); _semaphore.Release(); }
            void AfterProjectWait() { _gate.Wait(); Use(_shared); }
            void Unguarded() { Use(_shared); }

            void CallsGuardedHelper() { lock (_sync) { GuardedHelper(); } }
            void CallsGuardedHelperAgain() { lock (_sync) { GuardedHelper(); } }
            private void GuardedHelper() { Use(_shared); }

            void CallsMixedHelper() { lock (_sync) { MixedHelper(); } MixedHelper(); }
            private void MixedHelper() { Use(_shared); }

            public void PublicHelper() { Use(_shared); }
            void CallsPublicHelper() { lock (_sync) { PublicHelper(); } }

            static void Use(object value) { }
        }
        """;

    private static readonly Lazy<Dictionary<string, (IOperation Use, IMethodSymbol Method)>> Uses = new(() =>
    {
        var compilation = ProbeCompilation.Of(Source);
        var tree = compilation.SyntaxTrees[0];
        var model = compilation.GetSemanticModel(tree);
        var uses = new Dictionary<string, (IOperation, IMethodSymbol)>();
        foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
        {
            var use = model.GetOperation(method)!.Descendants().OfType<IFieldReferenceOperation>().FirstOrDefault(f => f.Field.Name == "_shared");
            if (use is not null)
            {
                uses[method.Identifier.Text] = (use, model.GetDeclaredSymbol(method)!);
            }
        }

        return uses;
    });

    private static bool IsSerialized(string method) => MutualExclusion.IsSerialized(Uses.Value[method].Use, Uses.Value[method].Method);

    [Theory]
    [InlineData("InLock")]
    [InlineData("AfterSemaphoreWait")]
    [InlineData("GuardedHelper")]
    public void Serialized(string method) => Assert.True(IsSerialized(method));

    [Theory]
    [InlineData("Unguarded")]
    [InlineData("BeforeSemaphoreWait")]
    [InlineData("AfterProjectWait")]
    [InlineData("MixedHelper")]
    [InlineData("PublicHelper")]
    public void Not_serialized(string method) => Assert.False(IsSerialized(method));
}
