using System.ComponentModel.DataAnnotations;

namespace Backside.Core.Data;

/// <summary>
/// Which database engine holds the data (<c>Database:Provider</c>) and where it is (<c>ConnectionStrings:Backside</c>).
/// SQLite needs no set-up and is the default; PostgreSQL is for running more than one instance.
/// </summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string SectionName = "Database";
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    /// <summary>The assembly that holds the PostgreSQL migrations; SQLite's are in Backside.Core itself.</summary>
    public const string PostgresMigrationsAssembly = "Backside.Data.Postgres";

    public string Provider { get; set; } = Sqlite;

    /// <summary>Filled from <c>ConnectionStrings:Backside</c> by the host, not from this section.</summary>
    public string? ConnectionString { get; set; }

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase) && !IsPostgres)
        {
            yield return new ValidationResult(
                $"Database:Provider is '{Provider}', which is not a database Backside runs on: set it to '{Sqlite}' (the default) or '{Postgres}'.",
                [nameof(Provider)]);
        }
        else if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                IsPostgres
                    ? "Database:Provider is 'Postgres' but ConnectionStrings:Backside is not set: give it an Npgsql connection string, such as 'Host=db;Database=backside;Username=backside;Password=…'."
                    : "ConnectionStrings:Backside is empty: remove it to use the default SQLite file, or give a SQLite connection string.",
                [nameof(ConnectionString)]);
        }
    }
}
