using Backside.Core;

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
        return builder;
    }
}
