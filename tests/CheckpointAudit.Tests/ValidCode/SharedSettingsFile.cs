// Correct code: a Windows desktop program's settings file, which several instances of the program save, each through
// a temp named with its process id and a counter; values of its own saved XML converted with every converter failure
// handled; and a release stamp compared where a loader hands the settings out. (Windows needs no directory sync.)
using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Reflection;
using System.Text.Json;
using System.Threading;
using System.Xml.Linq;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("windows")]

namespace ValidCode;

public sealed class SharedSettingsFile : IDisposable
{
    private static long _sequence;
    private readonly object _gate = new();
    private readonly FileSystemWatcher _watcher;

    public SharedSettingsFile(string path)
    {
        SettingsPath = path;
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(Path.GetFullPath(path))!, Path.GetFileName(SettingsPath));
    }

    public string SettingsPath { get; }

    public string Bounds { get; set; } = "0,0,800,600";

    /// <summary>Deletes temp files that a killed process left behind; call once at startup.</summary>
    public void SweepLeftovers()
    {
        var started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        foreach (var leftover in new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(SettingsPath))!).EnumerateFiles("*.tmp"))
        {
            if (leftover.LastWriteTimeUtc < started)
            {
                leftover.Delete();
            }
        }
    }

    public void Save()
    {
        lock (_gate)
        {
            var temp = TempFor(SettingsPath);
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    new XElement("Settings", new XElement(nameof(Bounds), Bounds)).Save(stream);
                    stream.Flush(flushToDisk: true);
                }

                if (File.Exists(SettingsPath))
                {
                    File.Replace(temp, SettingsPath, SettingsPath + ".bak");
                }
                else
                {
                    File.Move(temp, SettingsPath);
                }
            }
            catch
            {
                File.Delete(temp);
                throw;
            }
        }
    }

    public void Load(XElement section)
    {
        Bounds = FromText((string?)section.Element(nameof(Bounds)), Bounds);
    }

    public void Dispose() => _watcher.Dispose();

    private static string TempFor(string path) => $"{path}.{Environment.ProcessId}-{Interlocked.Increment(ref _sequence)}.tmp";

    private static T FromText<T>(string? text, T fallback)
    {
        if (text is null)
        {
            return fallback;
        }

        try
        {
            return (T)TypeDescriptor.GetConverter(typeof(T)).ConvertFromInvariantString(text)!;
        }
        catch (Exception)
        {
            return fallback;
        }
    }
}

public sealed class StampedSettings
{
    public string? Revision { get; set; } = Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    public static bool TryLoad(string path, out StampedSettings settings)
    {
        try
        {
            settings = JsonSerializer.Deserialize<StampedSettings>(File.ReadAllText(path)) ?? new StampedSettings();
            return true;
        }
        catch (JsonException)
        {
            settings = new StampedSettings();
            return false;
        }
    }
}

public static class StampedSettingsUser
{
    public static StampedSettings Open(string path)
        => StampedSettings.TryLoad(path, out var settings) && settings.Revision != "0.7.0.0" ? settings : new StampedSettings();
}
