using Backside.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Backside.Tests.Account;

/// <summary>A mail server that is down delays no change and fails none; it is logged, without secrets.</summary>
public class UnreachableMailTests(UnreachableMailAppFactory app) : IClassFixture<UnreachableMailAppFactory>
{
    [Fact]
    public async Task Key_creation_and_password_change_succeed_while_the_mail_server_refuses_connections()
    {
        var email = $"down-{Guid.NewGuid():N}@example.com";
        var owner = await app.CreateMemberAsync(email);
        var client = app.CreateClient();
        await client.SignInAsync(email);
        const string newPassword = "mail is down but this works";

        var key = await app.CreateKeyAsync(owner, environment: "live");
        var changed = await client.SubmitAsync("/Account/Manage/ChangePassword", "change-password",
            ("Input.OldPassword", BacksideAppFactory.Password), ("Input.NewPassword", newPassword), ("Input.ConfirmPassword", newPassword));

        Assert.Contains("Your password has been changed", await changed.Content.ReadAsStringAsync());
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (app.Logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.StartsWith("Email not sent", StringComparison.Ordinal)) < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "The failed deliveries were not logged.");
            await Task.Delay(100);
        }
        var logged = string.Join("\n", app.Logs.Entries.Select(e => e.Message + e.Exception));
        Assert.DoesNotContain(UnreachableMailAppFactory.Secret, logged);
        Assert.DoesNotContain(newPassword, logged);
        Assert.DoesNotContain(key.Secret, logged);
    }
}
