using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Web.Components.Account;
using Backside.Web.Email;
using Backside.Web.Hosting;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Backside.Web.Extensions;

public static class EmailExtensions
{
    /// <summary>
    /// Mail over SMTP with MailKit when <c>Email:Smtp:Host</c> is set (Identity's mail and security notices, sent
    /// from a queue), the public base URL its links are built on, and <c>AllowedHosts</c> from that URL.
    /// </summary>
    public static WebApplicationBuilder AddBacksideEmail(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AppOptions>().BindConfiguration(AppOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AppOptions>, AppOptionsValidator>();
        services.AddSingleton<IPostConfigureOptions<HostFilteringOptions>, AllowPublicHost>();
        services.AddSingleton<PublicLinks>();
        services.AddSingleton<EmailDelivery>();
        services.AddScoped<AccountEmails>();
        services.AddHostedService<EmailStartupCheck>();

        services.AddSingleton<EmailOutbox>();
        services.AddSingleton<EmailMessages>();
        services.AddSingleton<SmtpMailer>();
        services.AddSingleton<MailKitEmailSender>();
        services.AddSingleton<EmailSecurityNotifier>();
        services.AddSingleton<EmailInvitationMailer>();
        services.AddHostedService<EmailDeliveryService>();
        // Decided when first resolved, from the bound options, so every way of configuring the app is seen.
        services.AddSingleton<IEmailSender<ApplicationUser>>(sp => sp.GetRequiredService<EmailDelivery>().Mode == EmailDeliveryMode.Smtp
            ? sp.GetRequiredService<MailKitEmailSender>()
            : new IdentityNoOpEmailSender());
        services.Replace(ServiceDescriptor.Singleton<ISecurityNotifier>(sp => sp.GetRequiredService<EmailDelivery>().Mode == EmailDeliveryMode.Smtp
            ? sp.GetRequiredService<EmailSecurityNotifier>()
            : new SilentSecurityNotifier()));
        services.Replace(ServiceDescriptor.Singleton<IInvitationMailer>(sp => sp.GetRequiredService<EmailDelivery>().Mode == EmailDeliveryMode.Smtp
            ? sp.GetRequiredService<EmailInvitationMailer>()
            : new SilentInvitationMailer()));
        return builder;
    }

    /// <summary>
    /// With a public base URL, requests must name its host (plus any host <c>AllowedHosts</c> lists besides <c>*</c>,
    /// such as a health probe's). Runs after the framework's own post-configure, which reads <c>AllowedHosts</c>.
    /// </summary>
    private sealed class AllowPublicHost(IOptions<AppOptions> app) : IPostConfigureOptions<HostFilteringOptions>
    {
        public void PostConfigure(string? name, HostFilteringOptions options)
        {
            if (app.Value.PublicBaseUri is not { } publicBase)
                return;
            options.AllowedHosts = [publicBase.Host, .. options.AllowedHosts.Where(host => host != "*" && host != publicBase.Host)];
        }
    }
}
