using Backside.Core;
using Backside.Core.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Backside.Web.Extensions;

public static class CoreExtensions
{
    public const string ConnectionStringName = "Backside";
    public const string DefaultConnectionString = "Data Source=backside.db";

    /// <summary>
    /// Core services on the database <c>Database:Provider</c> names (SQLite by default) at <c>ConnectionStrings:Backside</c>;
    /// SQLite without a connection string uses the file beside the app.
    /// </summary>
    public static WebApplicationBuilder AddBacksideCore(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) => options.ConnectionString =
                configuration.GetConnectionString(ConnectionStringName) ?? (options.IsPostgres ? null : DefaultConnectionString))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddBacksideCore(provider => provider.GetRequiredService<IOptions<DatabaseOptions>>().Value);
        // A fixed application name, not the default (the content root path): the secrets the key ring protects (the
        // audit key, two-factor secrets) must still decrypt when the app runs from another folder. The ring itself is
        // in the database, so every instance reads the same keys and a new container starts with them.
        builder.Services.AddDataProtection().SetApplicationName("Backside").PersistKeysToDbContext<BacksideDbContext>();
        return builder;
    }
}
