using System.Data.Common;

namespace CheckpointAudit.Tests.Concurrency;

/// <summary>One statement on an open connection of either provider, for the engine evidence tests.</summary>
internal static class SqlCommands
{
    public static void Execute(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static object? Scalar(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
