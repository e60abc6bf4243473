using CheckpointAudit.Knowledge;
using Xunit;

namespace CheckpointAudit.Tests.Knowledge;

/// <summary><see cref="PathKey"/>: two expressions name the same file when they read the same local, parameter or member.</summary>
public class PathKeyTests
{
    private const string Source = """
        using System.IO;

        class Store
        {
            private readonly string _statePath = "state.json";

            void Save(string target, string other)
            {
                var temp = target + ".tmp";
                File.WriteAllText(temp, "");
                File.Move(temp, target);
                File.Delete(other);
                File.WriteAllText(_statePath, "");
                File.Delete(_statePath);
            }
        }
        """;

    [Fact]
    public void Reads_of_one_local_parameter_or_field_share_a_key_and_others_do_not()
    {
        var probe = new Probe(Source);
        var apis = FileApiSymbols.Create(probe.Compilation)!;
        PathKey Key(string invocation, int argument)
            => PathKey.From(((Microsoft.CodeAnalysis.Operations.IInvocationOperation)probe.Expression(invocation)).Arguments[argument].Value, apis);

        var written = Key("File.WriteAllText(temp, \"\")", 0);
        var moved = Key("File.Move(temp, target)", 0);
        var target = Key("File.Move(temp, target)", 1);
        var other = Key("File.Delete(other)", 0);
        var field = Key("File.WriteAllText(_statePath, \"\")", 0);

        Assert.Equal(written, moved);
        Assert.NotEqual(written, target);
        Assert.NotEqual(target, other);
        Assert.False(written.IsEmpty);
        Assert.False(written.IsMember);
        Assert.True(field.IsMember);
        Assert.Equal(field, Key("File.Delete(_statePath)", 0));
    }
}
