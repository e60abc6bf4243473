using CheckpointAudit.Corruption;
using CheckpointAudit.Tests.Infrastructure;
using Xunit;

namespace CheckpointAudit.Tests.Corruption;

public class NoPreviousVersionTests
{
    // MONITOR rule: off by default (checked by the catalog tests), turned on here the way users do.
    private const string Enabled = "dotnet_diagnostic.CKPT305.severity = warning\n";

    private static string Wrap(string body) => $$"""
        using System.IO;

        class Store
        {
        {{body}}
        }
        """;

    [Fact]
    public async Task Flags_replacements_that_discard_the_previous_version()
    {
        await Verify.AnalyzerAsync<NoPreviousVersionCheck>(Wrap("""
                void A(string path, string json)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, json);
                    {|CKPT305:File.Move(tmp, path, overwrite: true)|};
                }

                void B(string path, string json)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, json);
                    {|CKPT305:File.Replace(tmp, path, null)|};
                }

                void C(string path, byte[] data)
                {
                    var tmp = new FileInfo(path + ".tmp");
                    File.WriteAllBytes(tmp.FullName, data);
                    {|CKPT305:tmp.MoveTo(path, true)|};
                }
            """), Enabled);
    }

    [Fact]
    public async Task Quiet_when_a_previous_version_is_kept_or_nothing_is_replaced()
    {
        await Verify.AnalyzerAsync<NoPreviousVersionCheck>(Wrap("""
                void Backup(string path, string json)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, json);
                    File.Replace(tmp, path, path + ".bak");
                }

                void CopyFirst(string path, string json)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, json);
                    File.Copy(path, path + ".bak", overwrite: true);
                    File.Move(tmp, path, overwrite: true);
                }

                void HelperCopies(string path, string json)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, json);
                    KeepPrevious(path);
                    File.Move(tmp, path, overwrite: true);
                }

                static void KeepPrevious(string file) => File.Copy(file, file + ".bak", overwrite: true);

                void NoOverwrite(string path, string json)
                {
                    var tmp = path + ".tmp";
                    File.WriteAllText(tmp, json);
                    File.Move(tmp, path);
                }

                void Rename(string from, string to) => File.Move(from, to, true);
            """), Enabled);
    }
}
