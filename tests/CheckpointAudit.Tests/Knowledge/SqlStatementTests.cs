using CheckpointAudit.Knowledge;
using Xunit;

namespace CheckpointAudit.Tests.Knowledge;

/// <summary>The SQL reader the Concurrency rules share, tested on its own rather than only through the rules.</summary>
public class SqlStatementTests
{
    [Fact]
    public void Reads_an_update_with_its_table_columns_values_and_condition()
    {
        var update = Assert.Single(SqlStatement.Parse("UPDATE jobs SET state = 'done', finished = $now WHERE id = $id"));
        Assert.Equal(SqlVerb.Update, update.Verb);
        Assert.Equal("jobs", update.Table);
        Assert.Equal(["state", "finished"], update.Columns.ToArray());
        Assert.Equal("'done'", update.ValueOf("STATE"));
        Assert.Equal("$now", update.ValueOf("finished"));
        Assert.Null(update.ValueOf("id"));
        Assert.Contains("id = $id", update.Where);
    }

    [Fact]
    public void Reads_inserts_and_replaces_with_their_values_in_column_order()
    {
        var insert = Assert.Single(SqlStatement.Parse("INSERT OR REPLACE INTO stages (document, stage, status) VALUES (@doc, 2, 'running')"));
        Assert.Equal(SqlVerb.Insert, insert.Verb);
        Assert.Equal("stages", insert.Table);
        Assert.Equal("'running'", insert.ValueOf("status"));
        Assert.Equal("2", insert.ValueOf("stage"));
    }

    [Fact]
    public void Reads_a_select_with_its_columns_and_where()
    {
        var select = Assert.Single(SqlStatement.Parse("select distinct state, owner from jobs where id = ?"));
        Assert.Equal(SqlVerb.Select, select.Verb);
        Assert.Equal("jobs", select.Table);
        Assert.Equal(["state", "owner"], select.Columns.ToArray());
        Assert.Contains("id = ?", select.Where);
        Assert.Empty(Assert.Single(SqlStatement.Parse("SELECT * FROM jobs")).Where);
    }

    [Fact]
    public void Splits_statements_at_semicolons_outside_quotes()
    {
        var statements = SqlStatement.Parse("BEGIN; UPDATE t SET note = 'a;b' WHERE id = 1; COMMIT");
        Assert.Equal([SqlVerb.Begin, SqlVerb.Update, SqlVerb.Other], statements.Select(s => s.Verb));
        Assert.Equal("'a;b'", statements[1].ValueOf("note"));
    }

    [Fact]
    public void What_it_cannot_read_is_other_with_no_table()
    {
        var other = Assert.Single(SqlStatement.Parse("PRAGMA journal_mode=WAL"));
        Assert.Equal(SqlVerb.Other, other.Verb);
        Assert.Empty(other.Table);
    }

    [Theory]
    [InlineData("UPDATE jobs SET state = 1 WHERE jobs.state = 0", "state", true)]
    [InlineData("WHERE \"state\" = 0", "state", true)]
    [InlineData("WHERE [state] = 0", "state", true)]
    [InlineData("WHERE restate = 0", "state", false)]
    [InlineData("WHERE state_id = 0", "state", false)]
    [InlineData("WHERE id = @state", "state", false)]
    [InlineData("WHERE id = $state", "state", false)]
    public void Mentions_a_column_as_a_whole_word_and_not_a_parameter(string text, string column, bool expected)
        => Assert.Equal(expected, SqlStatement.Mentions(text, column));
}
