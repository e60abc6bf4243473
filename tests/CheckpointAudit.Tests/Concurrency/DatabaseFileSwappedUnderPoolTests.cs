using CheckpointAudit.CodeFixes.Concurrency;
using CheckpointAudit.Concurrency;
using CheckpointAudit.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace CheckpointAudit.Tests.Concurrency;

public class DatabaseFileSwappedUnderPoolTests
{
    [Fact]
    public async Task Flags_file_operations_on_a_pooled_database_file()
    {
        var test = Verify.AnalyzerTest<DatabaseFileSwappedUnderPoolCheck>("""
            using System.IO;
            using Microsoft.Data.Sqlite;

            class Store
            {
                private readonly string _databasePath;

                public Store(string folder) => _databasePath = Path.Combine(folder, "jobs.db");

                SqliteConnection Open()
                {
                    var connection = new SqliteConnection($"Data Source={_databasePath}");
                    connection.Open();
                    return connection;
                }

                void Restore(string backup)
                {
                    {|CKPT609:File.Copy(backup, _databasePath, true)|};
                }

                void Reset()
                {
                    {|CKPT609:File.Delete(_databasePath)|};
                    {|CKPT609:File.Delete(_databasePath + "-wal")|};
                    {|CKPT609:File.Delete($"{_databasePath}-shm")|};
                }

                void Swap(string fresh)
                {
                    {|CKPT609:File.Move(fresh, _databasePath, true)|};
                }

                // Through a project method that deletes its parameter, and a local within one method.
                void Recreate(string folder)
                {
                    var path = Path.Combine(folder, "cache.db");
                    using (var connection = new SqliteConnection("Data Source=" + path))
                    {
                        connection.Open();
                    }

                    {|CKPT609:DeleteFiles(path)|};
                }

                static void DeleteFiles(string file)
                {
                    if (File.Exists(file))
                    {
                        File.Delete(file);
                    }
                }
            }
            """);
        TestReferences.UseSqlite(test.TestState);
        await test.RunAsync();
    }

    [Fact]
    public async Task Flags_paths_given_to_a_builder_through_a_project_method()
    {
        var test = Verify.AnalyzerTest<DatabaseFileSwappedUnderPoolCheck>("""
            using System.IO;
            using Microsoft.Data.Sqlite;

            class FilterStore
            {
                private readonly string _storageFilePath = "filters.sqlite";

                static SqliteConnection FromFile(string filePath)
                {
                    var builder = new SqliteConnectionStringBuilder();
                    builder.DataSource = filePath;
                    var connection = new SqliteConnection(builder.ConnectionString);
                    connection.Open();
                    return connection;
                }

                void Load()
                {
                    try
                    {
                        using var connection = FromFile(_storageFilePath);
                        SqliteConnection.ClearAllPools();
                        File.Delete(_storageFilePath);
                    }
                    catch (SqliteException)
                    {
                        // The clear in the try may not have run.
                        {|CKPT609:File.Delete(_storageFilePath)|};
                    }
                }
            }
            """);
        TestReferences.UseSqlite(test.TestState);
        await test.RunAsync();
    }

    [Fact]
    public async Task Flags_a_reset_in_a_catch_when_only_the_try_cleared_the_pools()
    {
        var test = Verify.AnalyzerTest<DatabaseFileSwappedUnderPoolCheck>("""
            using System;
            using System.IO;
            using Microsoft.Data.Sqlite;

            sealed class Storage : IDisposable
            {
                public static Storage FromFile(string filePath)
                {
                    var builder = new SqliteConnectionStringBuilder();
                    builder.DataSource = filePath;
                    builder.Pooling = true;
                    using var connection = new SqliteConnection(builder.ConnectionString);
                    connection.Open();
                    return new Storage();
                }

                public int Version => 1;

                public void Dispose() => SqliteConnection.ClearAllPools();
            }

            static class Files
            {
                public static void DeleteDatabaseFiles(string mainFilePath)
                {
                    if (File.Exists(mainFilePath))
                    {
                        File.Delete(mainFilePath);
                    }
                }
            }

            class FilterStore
            {
                private readonly string _storageFilePath = "filters.sqlite";

                Storage Create()
                {
                    try
                    {
                        var storage = Storage.FromFile(_storageFilePath);
                        if (storage.Version < 2)
                        {
                            storage.Dispose();
                            Files.DeleteDatabaseFiles(_storageFilePath);
                            storage = Storage.FromFile(_storageFilePath);
                        }

                        return storage;
                    }
                    catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == 11)
                    {
                        {|CKPT609:Files.DeleteDatabaseFiles(_storageFilePath)|};
                        return Storage.FromFile(_storageFilePath);
                    }
                }
            }
            """);
        TestReferences.UseSqlite(test.TestState);
        await test.RunAsync();
    }

    [Fact]
    public async Task Valid_pools_cleared_first_or_not_pooled_stay_quiet()
    {
        var test = Verify.AnalyzerTest<DatabaseFileSwappedUnderPoolCheck>("""
            using System;
            using System.IO;
            using Microsoft.Data.Sqlite;

            class Store : IDisposable
            {
                private readonly string _databasePath = "jobs.db";
                private readonly string _unpooledPath = "scratch.db";
                private readonly string _exportPath = "export.json";

                SqliteConnection Open() => new SqliteConnection($"Data Source={_databasePath};Cache=Private");

                SqliteConnection OpenScratch() => new SqliteConnection($"Data Source={_unpooledPath};Pooling=False");

                void Restore(string backup)
                {
                    SqliteConnection.ClearAllPools();
                    File.Copy(backup, _databasePath, true);
                }

                void ResetThroughHelper()
                {
                    ReleaseDatabase();
                    File.Delete(_databasePath);
                }

                void ReleaseDatabase() => SqliteConnection.ClearAllPools();

                // A store whose Dispose clears the pools, disposed (or left by a using) before the file goes.
                void Recreate()
                {
                    Dispose();
                    File.Delete(_databasePath);
                }

                void RecreateAfterUsing()
                {
                    using (var store = new Store())
                    {
                    }

                    File.Delete(_databasePath + "-wal");
                }

                // A helper that clears the pools itself; a helper that only copies the database (a backup).
                void ResetThroughSafeHelper() => DeleteDatabase(_databasePath);

                static void DeleteDatabase(string path)
                {
                    SqliteConnection.ClearAllPools();
                    File.Delete(path);
                }

                void BackUp(string target) => CopyFile(_databasePath, target);

                static void CopyFile(string source, string target) => File.Copy(source, target, true);

                public void Dispose() => SqliteConnection.ClearAllPools();

                // Not pooled, not the database, or a copy made from it (named arguments included).
                void Others(string backup)
                {
                    File.Delete(_unpooledPath);
                    File.Delete(_exportPath);
                    File.Copy(_databasePath, backup, true);
                    File.Copy(destFileName: backup, sourceFileName: _databasePath, overwrite: true);
                    File.Copy(backup, _databasePath);
                }

                // The same member of two different objects: two different files.
                SqliteConnection OpenFile(FileInfo database) => new SqliteConnection($"Data Source={database.FullName}");

                void DeleteTemp(FileInfo temp) => File.Delete(temp.FullName);

                // Another program's database copied to a name made unique here, then read: no connection has that file yet.
                int ReadCopy(string places)
                {
                    var copy = Path.Combine(Path.GetTempPath(), $"places_{Guid.NewGuid()}.sqlite");
                    File.Copy(places, copy, true);
                    using var connection = new SqliteConnection($"Data Source={copy};Mode=ReadOnly");
                    connection.Open();
                    SqliteConnection.ClearPool(connection);
                    connection.Close();
                    File.Delete(copy);
                    return 0;
                }
            }
            """);
        TestReferences.UseSqlite(test.TestState);
        await test.RunAsync();
    }

    [Fact]
    public async Task A_unique_copy_is_still_flagged_when_deleted_under_the_pool()
    {
        var test = Verify.AnalyzerTest<DatabaseFileSwappedUnderPoolCheck>("""
            using System;
            using System.IO;
            using Microsoft.Data.Sqlite;

            class Reader
            {
                int ReadCopy(string places)
                {
                    var copy = Path.Combine(Path.GetTempPath(), $"places_{Guid.NewGuid()}.sqlite");
                    File.Copy(places, copy, true);
                    using (var connection = new SqliteConnection($"Data Source={copy};Mode=ReadOnly"))
                    {
                        connection.Open();
                    }

                    {|CKPT609:File.Delete(copy)|};
                    return 0;
                }

                // Polled: from the second pass on, the copy lands on the file a pooled connection of the first pass holds.
                void Poll(string places, System.Func<bool> more)
                {
                    var copy = Path.Combine(Path.GetTempPath(), $"places_{Guid.NewGuid()}.sqlite");
                    while (more())
                    {
                        {|CKPT609:File.Copy(places, copy, true)|};
                        using var connection = new SqliteConnection($"Data Source={copy};Mode=ReadOnly");
                        connection.Open();
                    }
                }
            }
            """);
        TestReferences.UseSqlite(test.TestState);
        await test.RunAsync();
    }

    [Fact]
    public async Task System_Data_SQLite_is_pooled_only_when_asked()
    {
        var test = Verify.AnalyzerTest<DatabaseFileSwappedUnderPoolCheck>("""
            using System.IO;
            using System.Data.SQLite;

            class Store
            {
                private readonly string _pooled = "a.db";
                private readonly string _plain = "b.db";

                SQLiteConnection A() => new SQLiteConnection($"Data Source={_pooled};Pooling=True");

                SQLiteConnection B() => new SQLiteConnection($"Data Source={_plain}");

                void Reset()
                {
                    {|CKPT609:File.Delete(_pooled)|};
                    File.Delete(_plain);
                }
            }
            """);
        TestReferences.UseSqlite(test.TestState, systemDataSqlite: true);
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_clears_the_pools_before_the_file_changes()
    {
        var test = Verify.CodeFix<DatabaseFileSwappedUnderPoolCheck, ClearPoolsFirstCodeFixProvider>(
            """
            using System.IO;
            using Microsoft.Data.Sqlite;

            class Store
            {
                private readonly string _databasePath = "jobs.db";

                SqliteConnection Open() => new SqliteConnection($"Data Source={_databasePath}");

                void Restore(string backup)
                {
                    // Put the backup in place.
                    {|CKPT609:File.Copy(backup, _databasePath, true)|};
                }

                void Reset()
                {
                    {|CKPT609:File.Delete(_databasePath)|};
                    {|CKPT609:File.Delete(_databasePath + "-wal")|};
                }
            }
            """,
            """
            using System.IO;
            using Microsoft.Data.Sqlite;

            class Store
            {
                private readonly string _databasePath = "jobs.db";

                SqliteConnection Open() => new SqliteConnection($"Data Source={_databasePath}");

                void Restore(string backup)
                {
                    SqliteConnection.ClearAllPools();
                    // Put the backup in place.
                    File.Copy(backup, _databasePath, true);
                }

                void Reset()
                {
                    SqliteConnection.ClearAllPools();
                    File.Delete(_databasePath);
                    File.Delete(_databasePath + "-wal");
                }
            }
            """);
        TestReferences.UseSqlite(test.TestState);
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;

        // Reported at compilation end (the database path is known from the whole project).
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        await test.RunAsync();
    }
}
