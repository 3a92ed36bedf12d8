using Backside.Core.Audit;
using Backside.Web.Audit;
using Backside.Web.Secrets;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Backside.Web.Extensions;

public static class AuditExtensions
{
    /// <summary>The audit chain's key (<c>Audit:HmacKey</c>, validated on start, or a generated one kept encrypted in the database).</summary>
    public static WebApplicationBuilder AddBacksideAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<ServerSecretStore>();
        builder.Services.AddSingleton<AuditHmacKeyProvider>();
        builder.Services.AddSingleton<IAuditHmacKey>(sp => sp.GetRequiredService<AuditHmacKeyProvider>());
        return builder;
    }
}
