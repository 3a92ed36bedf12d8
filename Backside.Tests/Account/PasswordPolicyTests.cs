using Backside.Core.Identity;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Account;

/// <summary>NIST SP 800-63B: at least 12 characters, and no rules about what kinds of characters.</summary>
public class PasswordPolicyTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    private async Task<IdentityResult> RegisterAsync(string password)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var email = $"policy-{Guid.NewGuid():N}@example.com";
        return await scope.ServiceProvider.GetRequiredService<UserRegistration>()
            .RegisterAsync(new ApplicationUser { UserName = email, Email = email }, password);
    }

    [Theory]
    [InlineData("aaaaaaaaaaaa")]
    [InlineData("correct horse")]
    [InlineData("123456789012")]
    [InlineData("ÜBERLANGEWÖRTER")]
    public async Task Any_password_of_twelve_characters_or_more_is_accepted(string password)
    {
        var result = await RegisterAsync(password);

        Assert.True(result.Succeeded, string.Join(", ", result.Errors.Select(e => e.Code)));
    }

    [Theory]
    [InlineData("Sh0rt-Pass!")]
    [InlineData("abcdefghijk")]
    public async Task A_password_of_eleven_characters_is_refused_whatever_it_contains(string password)
    {
        var result = await RegisterAsync(password);

        Assert.Equal(["PasswordTooShort"], result.Errors.Select(e => e.Code));
    }

    [Fact]
    public async Task The_registration_page_says_how_long_a_password_must_be()
    {
        var client = app.CreateClient();

        var page = await (await client.RegisterAsync($"short-{Guid.NewGuid():N}@example.com", "elevenchars")).Content.ReadAsStringAsync();

        Assert.Contains("The Password must be at least 12 and at most 128 characters long.", page);
    }
}
