using Backside.Tests.Infrastructure;
using Backside.Web.Email;
using Microsoft.Extensions.Logging;

namespace Backside.Tests.Account;

/// <summary>Outside Development with no SMTP server: no page ever shows a confirmation or reset link.</summary>
public class EmailNotConfiguredTests(ProductionWithoutMailAppFactory app) : IClassFixture<ProductionWithoutMailAppFactory>
{
    [Fact]
    public async Task Registration_shows_no_confirmation_link_and_says_email_is_not_configured()
    {
        var client = app.CreateClient();
        var email = $"nomail-{Guid.NewGuid():N}@example.com";

        var afterRegistering = await (await client.RegisterAsync(email)).Content.ReadAsStringAsync();
        var typedIntoTheUrl = await client.GetStringAsync($"/Account/RegisterConfirmation?email={Uri.EscapeDataString(email)}");

        foreach (var page in (string[])[afterRegistering, typedIntoTheUrl])
        {
            Assert.Contains("Email is not configured on this server", page);
            Assert.DoesNotContain("ConfirmEmail", page);
            Assert.DoesNotContain("code=", page);
        }
    }

    [Fact]
    public async Task Password_reset_and_resending_the_confirmation_show_no_link_either()
    {
        var email = $"nomail-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(email);
        var client = app.CreateClient();

        var reset = await (await client.SubmitAsync("/Account/ForgotPassword", "forgot-password", ("Input.Email", email))).Content.ReadAsStringAsync();
        var resend = await (await client.SubmitAsync("/Account/ResendEmailConfirmation", "resend-email-confirmation", ("Input.Email", email))).Content.ReadAsStringAsync();

        foreach (var page in (string[])[reset, resend])
        {
            Assert.Contains("Email is not configured on this server", page);
            Assert.DoesNotContain("ResetPassword?", page);
            Assert.DoesNotContain("ConfirmEmail", page);
            Assert.DoesNotContain("code=", page);
        }
    }

    [Fact]
    public void Start_up_logs_one_warning_that_email_is_not_configured()
    {
        _ = app.Services; // the host has started

        var warnings = app.Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.StartsWith("Email is not configured", StringComparison.Ordinal));

        var warning = Assert.Single(warnings);
        Assert.Equal(typeof(EmailStartupCheck).FullName, warning.Category);
    }
}
