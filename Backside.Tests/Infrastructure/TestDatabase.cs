using Backside.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Backside.Tests.Infrastructure;

/// <summary>
/// A database of a test's own: a new SQLite file in a temp folder, or a new database on the PostgreSQL server in
/// <c>BACKSIDE_TEST_POSTGRES</c>, dropped when this is disposed. <c>BACKSIDE_TEST_DATABASE</c> (<c>Sqlite</c> by
/// default, or <c>Postgres</c>) picks the engine for the provider matrix.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private const string ServerVariable = "BACKSIDE_TEST_POSTGRES";
    private readonly string? postgresName;

    private TestDatabase(string provider, string connectionString, string? postgresName)
    {
        Options = new DatabaseOptions { Provider = provider, ConnectionString = connectionString };
        this.postgresName = postgresName;
    }

    /// <summary>The engine the matrix run asked for.</summary>
    public static string MatrixProvider =>
        Environment.GetEnvironmentVariable("BACKSIDE_TEST_DATABASE") is { Length: > 0 } provider ? provider : DatabaseOptions.Sqlite;

    public DatabaseOptions Options { get; }

    public bool IsPostgres => Options.IsPostgres;

    /// <summary>A new database on the matrix's engine.</summary>
    public static TestDatabase Create() =>
        string.Equals(MatrixProvider, DatabaseOptions.Postgres, StringComparison.OrdinalIgnoreCase) ? CreatePostgres()
        : string.Equals(MatrixProvider, DatabaseOptions.Sqlite, StringComparison.OrdinalIgnoreCase) ? CreateSqlite()
        : throw new InvalidOperationException($"BACKSIDE_TEST_DATABASE is '{MatrixProvider}'; use Sqlite or Postgres.");

    public static TestDatabase CreateSqlite() =>
        OnSqliteFile(Path.Combine(Path.GetTempPath(), "backside-tests", $"{Guid.NewGuid():N}.db"));

    /// <summary>A SQLite file, new or left by an app before; temp files are left where they are, as before.</summary>
    public static TestDatabase OnSqliteFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new TestDatabase(DatabaseOptions.Sqlite, $"Data Source={path}", null);
    }

    /// <summary>A new, empty database on the test PostgreSQL server; fails (never skips) when there is none.</summary>
    public static TestDatabase CreatePostgres()
    {
        var name = $"backside_{Guid.NewGuid():N}";
        using (var server = new NpgsqlConnection(ServerConnectionString("postgres")))
        {
            server.Open();
            using var create = server.CreateCommand();
            create.CommandText = $"CREATE DATABASE \"{name}\"";
            create.ExecuteNonQuery();
        }
        return new TestDatabase(DatabaseOptions.Postgres, ServerConnectionString(name), name);
    }

    /// <summary>The SQLite file, for the tests that read it byte by byte.</summary>
    public string SqlitePath => IsPostgres
        ? throw new InvalidOperationException("This test reads the SQLite file itself; it runs on SQLite only.")
        : new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(Options.ConnectionString).DataSource;

    /// <summary>A DbContext on this database, outside any app.</summary>
    public BacksideDbContext Open()
    {
        var options = new DbContextOptionsBuilder<BacksideDbContext>();
        options.UseBacksideDatabase(Options);
        return new BacksideDbContext(options.Options);
    }

    public async ValueTask DisposeAsync()
    {
        if (postgresName is null)
            return;
        NpgsqlConnection.ClearPool(new NpgsqlConnection(Options.ConnectionString));
        await using var server = new NpgsqlConnection(ServerConnectionString("postgres"));
        await server.OpenAsync();
        await using var drop = server.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{postgresName}\" WITH (FORCE)";
        await drop.ExecuteNonQueryAsync();
    }

    private static string ServerConnectionString(string database)
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        Assert.False(string.IsNullOrEmpty(server), $"{ServerVariable} is not set: run scripts/test, which starts a PostgreSQL server for the tests.");
        return new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
    }
}
