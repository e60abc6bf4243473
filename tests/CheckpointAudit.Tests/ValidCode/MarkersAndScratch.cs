// Correct code: marker/lock files with no content, scratch files in the temp directory,
// uniquely named exports, copies that never overwrite, and a shortcut given a name no file has.
using System;
using System.IO;

namespace ValidCode;

public static class MarkersAndScratch
{
    public static void MarkForDeletion(string pluginDirectory)
    {
        using var _ = File.CreateText(Path.Combine(pluginDirectory, ".delete"));
        File.Create(Path.Combine(pluginDirectory, ".lock")).Dispose();
        File.WriteAllText(Path.Combine(pluginDirectory, ".installed"), string.Empty);
    }

    public static string WriteScratch(byte[] download)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "download-" + Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(scratch, download);
        return scratch;
    }

    public static void Export(string directory, string report)
    {
        File.WriteAllText(Path.Combine(directory, $"report-{DateTime.UtcNow:yyyyMMddHHmmssfff}.md"), report);
        File.Copy(Path.Combine(directory, "state.json"), Path.Combine(directory, "state.copy.json"));
    }

    public static void CreateShortcut(string folder, string name, string target)
    {
        var file = Path.Combine(folder, name + ".url");
        while (File.Exists(file))
        {
            name += "1";
            file = Path.Combine(folder, name + ".url");
        }

        File.WriteAllText(file, "[InternetShortcut]\nURL=" + target);
    }
}
