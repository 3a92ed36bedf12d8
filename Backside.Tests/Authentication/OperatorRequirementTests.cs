using System.Net;
using Backside.Core.Identity;
using Backside.Tests.Infrastructure;
using Backside.Web.Authentication;
using Backside.Web.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Authentication;

/// <summary>An address in <c>Operators:Emails</c> opens the Payments page only for a confirmed account with two-factor on.</summary>
public class OperatorRequirementTests(OperatorRequirementTests.OperatorsAppFactory app) : IClassFixture<OperatorRequirementTests.OperatorsAppFactory>
{
    public sealed class OperatorsAppFactory : BacksideAppFactory
    {
        public static readonly string[] Operators = [.. Enumerable.Range(0, 6).Select(i => $"operator-{i}@backside.test")];

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            for (var i = 0; i < Operators.Length; i++)
                builder.UseSetting($"Operators:Emails:{i}", Operators[i]);
        }
    }

    /// <summary>An account in the given state; returns its authenticator secret when two-factor is on.</summary>
    private async Task<string?> CreateAccountAsync(string email, bool confirmed, bool twoFactor)
    {
        await app.CreateMemberAsync(email);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        user.EmailConfirmed = confirmed;
        await users.UpdateAsync(user);
        if (!twoFactor)
            return null;
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        return await users.GetAuthenticatorKeyAsync(user);
    }

    private async Task<bool> IsOperatorAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var principal = await scope.ServiceProvider.GetRequiredService<SignInManager<ApplicationUser>>()
            .CreateUserPrincipalAsync((await users.FindByEmailAsync(email))!);
        var result = await scope.ServiceProvider.GetRequiredService<IAuthorizationService>().AuthorizeAsync(principal, OperatorRequirement.PolicyName);
        return result.Succeeded;
    }

    [Fact]
    public async Task A_listed_email_counts_only_when_confirmed_and_with_two_factor_on()
    {
        var listed = OperatorsAppFactory.Operators;
        await CreateAccountAsync(listed[0], confirmed: true, twoFactor: true);
        await CreateAccountAsync(listed[1].ToUpperInvariant(), confirmed: true, twoFactor: true);
        await CreateAccountAsync(listed[2], confirmed: true, twoFactor: false);
        await CreateAccountAsync(listed[3], confirmed: false, twoFactor: true);
        var stranger = $"someone-{Guid.NewGuid():N}@backside.test";
        await CreateAccountAsync(stranger, confirmed: true, twoFactor: true);

        Assert.True(await IsOperatorAsync(listed[0]));
        Assert.True(await IsOperatorAsync(listed[1].ToUpperInvariant()));
        Assert.False(await IsOperatorAsync(listed[2]));
        Assert.False(await IsOperatorAsync(listed[3]));
        Assert.False(await IsOperatorAsync(stranger));
    }

    [Fact]
    public async Task Payments_page_is_403_for_an_operator_without_two_factor_and_opens_with_it()
    {
        var withoutTwoFactor = OperatorsAppFactory.Operators[4];
        var withTwoFactor = OperatorsAppFactory.Operators[5];
        await CreateAccountAsync(withoutTwoFactor, confirmed: true, twoFactor: false);
        var secret = await CreateAccountAsync(withTwoFactor, confirmed: true, twoFactor: true);
        var refusedClient = app.CreateClient();
        await refusedClient.SignInAsync(withoutTwoFactor);
        var operatorClient = app.CreateClient();
        await operatorClient.SignInWithCodeAsync(withTwoFactor, TotpVerifier.Compute(secret!, app.Time.GetUtcNow()));

        var refused = await refusedClient.GetAsync("/operator/payments");
        var opened = await operatorClient.GetAsync("/operator/payments");

        Assert.True(await refusedClient.IsSignedInAsync());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Access denied", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Equal("/operator/payments", opened.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("Settled x402 payments", await opened.Content.ReadAsStringAsync());
    }
}
