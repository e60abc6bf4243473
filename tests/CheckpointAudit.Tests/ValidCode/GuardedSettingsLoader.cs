// Correct code: a settings load that verifies a checksum kept beside the file, handles malformed and
// empty files, keeps the bad file aside, and refuses settings written by a newer build.
using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ValidCode;

public sealed class AppSettings
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>0 for settings written before versioning; the writer sets CurrentSchemaVersion.</summary>
    public int SchemaVersion { get; set; }

    public string Theme { get; set; } = "light";
}

public static class GuardedSettingsLoader
{
    public static AppSettings Load(string path)
    {
        if (!File.Exists(path))
        {
            return new AppSettings();
        }

        try
        {
            var text = File.ReadAllText(path);
            var expected = File.ReadAllText(path + ".sha256").Trim();
            if (!string.Equals(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))), expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new JsonException("checksum mismatch");
            }

            var settings = JsonSerializer.Deserialize<AppSettings>(text);
            if (settings is null)
            {
                throw new InvalidDataException($"'{path}' holds no settings.");
            }

            if (settings.SchemaVersion > AppSettings.CurrentSchemaVersion)
            {
                throw new InvalidDataException($"'{path}' was written by a newer version ({settings.SchemaVersion}).");
            }

            return settings;
        }
        catch (JsonException ex)
        {
            var quarantined = path + ".corrupt-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
            File.Move(path, quarantined);
            throw new InvalidDataException($"'{path}' is corrupt; it was moved to '{quarantined}'.", ex);
        }
    }
}
