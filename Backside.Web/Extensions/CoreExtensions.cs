using Backside.Core;
using Backside.Core.Data;
using Microsoft.AspNetCore.DataProtection;

namespace Backside.Web.Extensions;

public static class CoreExtensions
{
    public const string ConnectionStringName = "Backside";
    public const string DefaultConnectionString = "Data Source=backside.db";

    /// <summary>Core services on SQLite; <c>ConnectionStrings:Backside</c> overrides the default file.</summary>
    public static WebApplicationBuilder AddBacksideCore(this WebApplicationBuilder builder)
    {
        builder.Services.AddBacksideCore(provider =>
            provider.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName) ?? DefaultConnectionString);
        // A fixed application name, not the default (the content root path): the secrets the key ring protects (the
        // audit key, two-factor secrets) must still decrypt when the app runs from another folder. The ring itself is
        // in the database, so every instance reads the same keys and a new container starts with them.
        builder.Services.AddDataProtection().SetApplicationName("Backside").PersistKeysToDbContext<BacksideDbContext>();
        return builder;
    }
}
