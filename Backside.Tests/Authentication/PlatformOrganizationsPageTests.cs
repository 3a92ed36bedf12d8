using System.Net;
using Backside.Core.Identity;
using Backside.Tests.Infrastructure;
using Backside.Web.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Authentication;

/// <summary>Platform &gt; Organizations opens for operators only (a listed, confirmed account with two-factor on).</summary>
public class PlatformOrganizationsPageTests(PlatformOrganizationsPageTests.OperatorAppFactory app) : IClassFixture<PlatformOrganizationsPageTests.OperatorAppFactory>
{
    public sealed class OperatorAppFactory : BacksideAppFactory
    {
        public const string Operator = "platform-operator@backside.test";

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Operators:Emails:0", Operator);
        }
    }

    [Fact]
    public async Task The_page_is_403_for_a_person_who_is_not_an_operator()
    {
        var email = $"member-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(email);
        var client = app.CreateClient();
        await client.SignInAsync(email);

        var refused = await client.GetAsync("/platform/organizations");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Access denied", body);
        Assert.DoesNotContain("organizations-grid", body);
    }

    [Fact]
    public async Task The_page_opens_for_an_operator_and_the_menu_links_to_it()
    {
        await app.CreateMemberAsync(OperatorAppFactory.Operator);
        string secret;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByEmailAsync(OperatorAppFactory.Operator))!;
            await users.ResetAuthenticatorKeyAsync(user);
            await users.SetTwoFactorEnabledAsync(user, true);
            secret = (await users.GetAuthenticatorKeyAsync(user))!;
        }
        var client = app.CreateClient();
        await client.SignInWithCodeAsync(OperatorAppFactory.Operator, TotpVerifier.Compute(secret, app.Time.GetUtcNow()));

        var opened = await client.GetAsync("/platform/organizations");

        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var body = await opened.Content.ReadAsStringAsync();
        Assert.Contains("Every organization on the platform and its plan", body);
        Assert.Contains("href=\"platform/organizations\"", body);
    }
}
