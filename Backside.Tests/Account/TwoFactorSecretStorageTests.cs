using System.Net;
using System.Net.Http.Json;
using System.Text;
using Backside.Core.Identity;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Account;

/// <summary>The authenticator secret and recovery codes are encrypted at rest, and sign-in with them still works.</summary>
public class TwoFactorSecretStorageTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task After_enrolment_the_database_holds_neither_the_authenticator_secret_nor_a_recovery_code()
    {
        var email = await RegisterAsync();

        var (secret, recoveryCodes) = await app.EnableTwoFactorAsync(email);

        var stored = await StoredSecretsAsync(email);
        Assert.Equal(2, stored.Count);
        Assert.All(stored, value => Assert.StartsWith("dp1:", value));
        Assert.All(stored, value => Assert.DoesNotContain(secret, value, StringComparison.OrdinalIgnoreCase));
        Assert.All(stored, value => Assert.All(recoveryCodes, code => Assert.DoesNotContain(code, value)));
        AssertFileHoldsNone([secret, .. recoveryCodes]);
    }

    [Fact]
    public async Task Sign_in_works_with_an_authenticator_code_and_with_a_recovery_code_from_encrypted_storage()
    {
        var email = await RegisterAsync();
        var (secret, recoveryCodes) = await app.EnableTwoFactorAsync(email);

        await (await LoginAsync(email, TotpVerifier.Compute(secret, app.Time.GetUtcNow()))).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await LoginAsync(email, recoveryCodes[0])).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await LoginAsync(email, recoveryCodes[0])).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_two_factor_code");

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.Equal(recoveryCodes.Count - 1, await users.CountRecoveryCodesAsync((await users.FindByEmailAsync(email))!));
        Assert.All(await StoredSecretsAsync(email), value => Assert.DoesNotContain(recoveryCodes[1], value));
    }

    [Fact]
    public async Task Secrets_stored_in_plain_text_before_encryption_still_work_and_are_encrypted_on_first_use()
    {
        var email = await RegisterAsync();
        var (secret, recoveryCodes) = await app.EnableTwoFactorAsync(email);
        // As an older version left them: plain text.
        await SetStoredAsync(email, "AuthenticatorKey", secret);
        await SetStoredAsync(email, "RecoveryCodes", string.Join(';', recoveryCodes));
        Assert.Contains(secret, await StoredSecretsAsync(email));

        await (await LoginAsync(email, TotpVerifier.Compute(secret, app.Time.GetUtcNow()))).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await LoginAsync(email, recoveryCodes[0])).ShouldBeJsonAsync(HttpStatusCode.OK);

        var stored = await StoredSecretsAsync(email);
        Assert.All(stored, value => Assert.StartsWith("dp1:", value));
        Assert.All(stored, value => Assert.All(recoveryCodes, code => Assert.DoesNotContain(code, value)));
        await (await LoginAsync(email, recoveryCodes[1])).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await LoginAsync(email, recoveryCodes[0])).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_two_factor_code");
    }

    [Fact]
    public async Task An_encrypted_secret_copied_to_another_account_does_not_decrypt_there()
    {
        var victim = await RegisterAsync();
        var attacker = await RegisterAsync();
        var (secret, _) = await app.EnableTwoFactorAsync(victim);
        await app.EnableTwoFactorAsync(attacker);
        var victimKey = (await StoredSecretsAsync(victim, "AuthenticatorKey")).Single();

        await SetStoredAsync(attacker, "AuthenticatorKey", victimKey);

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var key = await users.GetAuthenticatorKeyAsync((await users.FindByEmailAsync(attacker))!);
        Assert.Null(key);
    }

    /// <summary>The raw rows of Identity's user-token table, read past the app.</summary>
    private async Task<List<string>> StoredSecretsAsync(string email, string? name = null)
    {
        await using var db = app.OpenDatabase();
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        return await db.Database
            .SqlQuery<string>($"SELECT Value FROM AspNetUserTokens WHERE UserId = {userId} AND LoginProvider = '[AspNetUserStore]' AND (Name = {name} OR {name} IS NULL)")
            .ToListAsync();
    }

    private async Task SetStoredAsync(string email, string name, string value)
    {
        await using var db = app.OpenDatabase();
        await db.Database.ExecuteSqlAsync(
            $"UPDATE AspNetUserTokens SET Value = {value} WHERE Name = {name} AND UserId = (SELECT Id FROM AspNetUsers WHERE Email = {email})");
    }

    /// <summary>Not in any page of the SQLite file either (nor its journal), in any letter case the app handles.</summary>
    private void AssertFileHoldsNone(IEnumerable<string> secrets)
    {
        var files = new[] { app.DatabasePath, app.DatabasePath + "-wal", app.DatabasePath + "-journal" }.Where(File.Exists);
        var contents = string.Concat(files.Select(f => Encoding.Latin1.GetString(File.ReadAllBytes(f))));
        foreach (var secret in secrets)
            Assert.DoesNotContain(secret, contents, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<string> RegisterAsync()
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(email);
        return email;
    }

    private Task<HttpResponseMessage> LoginAsync(string email, string code) =>
        app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { email, password = BacksideAppFactory.Password, two_factor_code = code });
}
