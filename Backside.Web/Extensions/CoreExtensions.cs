using Backside.Core;
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
        // audit key, two-factor secrets) must still decrypt when the app runs from another folder.
        builder.Services.AddDataProtection().SetApplicationName("Backside");
        return builder;
    }
}
