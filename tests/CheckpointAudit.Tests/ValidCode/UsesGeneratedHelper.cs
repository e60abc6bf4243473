// Correct code: the generated CheckpointFile helper (what the "Write atomically" fix produces).
using System.Text;
using System.Threading.Tasks;
using CheckpointAudit;

namespace ValidCode;

public static class UsesGeneratedHelper
{
    public static async Task SaveAsync(string path, string json, string[] lines, byte[] bytes)
    {
        CheckpointFile.WriteAllText(path, json);
        CheckpointFile.WriteAllText(path, json, Encoding.UTF8);
        CheckpointFile.WriteAllBytes(path + ".bin", bytes);
        CheckpointFile.WriteAllLines(path + ".txt", lines);
        await CheckpointFile.WriteAllTextAsync(path, json);
        await CheckpointFile.WriteAllLinesAsync(path + ".txt", lines);
    }
}
