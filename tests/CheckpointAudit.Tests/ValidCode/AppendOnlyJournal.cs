// Correct code: append-only journal, reads, and opening without truncation for reading.
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ValidCode;

public sealed class AppendOnlyJournal(string path)
{
    public void Append(string entry)
    {
        File.AppendAllText(path, entry + "\n");
        using var writer = new StreamWriter(path, append: true, Encoding.UTF8);
        writer.WriteLine(entry);
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write);
        stream.Flush(true);
    }

    public IEnumerable<string> ReadAll()
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }
}
