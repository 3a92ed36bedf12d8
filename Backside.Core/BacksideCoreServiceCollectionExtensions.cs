using Backside.Core.ApiKeys;
using Backside.Core.Audit;
using Backside.Core.Common;
using Backside.Core.Contacts;
using Backside.Core.Data;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Core.Payments;
using Backside.Core.Usage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Backside.Core;

public static class BacksideCoreServiceCollectionExtensions
{
    /// <summary>Core rules and storage on the SQLite database <paramref name="connectionString"/> names.</summary>
    public static IServiceCollection AddBacksideCore(this IServiceCollection services, Func<IServiceProvider, string> connectionString) =>
        services.AddBacksideCore(provider => new DatabaseOptions { Provider = DatabaseOptions.Sqlite, ConnectionString = connectionString(provider) });

    /// <summary>
    /// Core rules and storage. <paramref name="database"/> is read when the first DbContext is made, so hosts (and
    /// tests) can decide it late. Any <see cref="IInterceptor"/> in the container is attached to the DbContext.
    /// </summary>
    public static IServiceCollection AddBacksideCore(this IServiceCollection services, Func<IServiceProvider, DatabaseOptions> database)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DatabaseCommandCounter>();
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<DatabaseCommandCounter>());
        // The Identity tables in the model (and so in the migrations) follow this version; pin it here so every host
        // that builds the DbContext, tests included, builds the same model.
        services.Configure<IdentityOptions>(options =>
        {
            options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
            PasswordRules.Apply(options.Password);
        });
        services.AddDbContext<BacksideDbContext>((provider, options) => options
            .UseBacksideDatabase(database(provider))
            .AddInterceptors(provider.GetServices<IInterceptor>()));

        services.AddScoped<OrganizationService>();
        services.AddScoped<InvitationService>();
        // Hosts that can send mail replace this (Backside.Web does when SMTP is configured).
        services.TryAddSingleton<IInvitationMailer, SilentInvitationMailer>();
        services.AddScoped<MemberService>();
        services.AddScoped<OrganizationSettingsService>();
        services.AddScoped<UserRegistration>();
        services.AddScoped<RefreshTokenService>();
        services.AddScoped<ApiLogin>();
        services.AddSingleton<FixedWindowThrottle>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<UnknownAccountLockouts>();
        services.AddSingleton<AccountMailCooldown>();
        services.AddOptions<SignInTimingOptions>()
            .BindConfiguration(SignInTimingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<SignInRateLimitOptions>()
            .BindConfiguration(SignInRateLimitOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddScoped<AccountDeletion>();
        services.AddOptions<RefreshTokenOptions>()
            .BindConfiguration(RefreshTokenOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Hosts that can send mail replace this (Backside.Web does when SMTP is configured).
        services.TryAddSingleton<ISecurityNotifier, SilentSecurityNotifier>();
        services.AddScoped<SecurityNoticeRecipients>();
        services.AddScoped<ApiKeyService>();
        services.AddScoped<AuditTrail>();
        services.AddScoped<AuditLog>();
        services.AddSingleton<SecurityEvents>();
        services.AddOptions<ApiKeyPolicyOptions>()
            .BindConfiguration(ApiKeyPolicyOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<PlansOptions>().BindConfiguration(PlansOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<PlansOptions>, PlansOptions.AddDefaultPlan>();
        services.AddSingleton<IValidateOptions<PlansOptions>, PlansOptions.PlansValidator>();
        services.AddScoped<ContactService>();
        // The second level is whatever IDistributedCache the host registers (Backside.Web: Redis when configured).
        services.AddHybridCache().AddSerializer<CachedCredential?, CachedCredentialSerializer>();
        services.AddSingleton<ApiKeyCacheCoherence>();
        // Hosts that share a cache replace this (Backside.Web does when Redis is configured).
        services.TryAddSingleton<IApiKeyChangeAnnouncer, SingleInstanceChangeAnnouncer>();
        services.AddScoped<DatabaseApiKeyCredentialStore>();
        services.AddScoped<OrganizationKeyCache>();
        services.AddScoped<OrganizationPlanService>();
        services.AddSingleton<CachedApiKeyCredentialStore>();
        services.AddOptions<UnknownApiKeyOptions>()
            .BindConfiguration(UnknownApiKeyOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IApiKeyCredentialStore>(sp => sp.GetRequiredService<CachedApiKeyCredentialStore>());
        services.AddSingleton<IApiKeyCacheInvalidator>(sp => sp.GetRequiredService<CachedApiKeyCredentialStore>());

        services.AddSingleton<ApiKeyUsageTracker>();
        services.AddScoped<UsageService>();
        services.AddSingleton<ApiKeyUsageFlusher>();
        services.AddHostedService<UsageFlushService>();
        services.AddOptions<UsageOptions>()
            .BindConfiguration(UsageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddScoped<PaymentService>();
        services.AddSingleton<IPaymentReplayStore, DatabasePaymentReplayStore>();
        services.AddSingleton<X402Verifier>();
        return services;
    }
}
