using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Backside.Core.Identity;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Api;

/// <summary>Login, refresh and logout; moves the clock past token lifetimes, so it has an app of its own.</summary>
public class SessionTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    [Fact]
    public async Task Wrong_password_and_unknown_email_get_the_same_answer()
    {
        var email = await RegisterAsync();

        var wrongPassword = await app.LoginAsync(email, "not-the-password");
        var unknownEmail = await app.LoginAsync($"nobody-{Guid.NewGuid():N}@example.com", BacksideAppFactory.Password);

        var a = await wrongPassword.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        var b = await unknownEmail.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Equal(a.GetProperty("detail").GetString(), b.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Owner_signs_in_and_manages_keys_with_the_access_token()
    {
        var email = await RegisterAsync();

        var tokens = await (await app.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var client = ClientWith(tokens.GetProperty("access_token").GetString()!);
        var created = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "From a session", scopes = new[] { "contacts:read" } });

        Assert.Equal("Bearer", tokens.GetProperty("token_type").GetString());
        Assert.Equal(900, tokens.GetProperty("expires_in").GetInt32());
        Assert.StartsWith("bsr_", tokens.GetProperty("refresh_token").GetString());
        var key = await created.ShouldBeJsonAsync(HttpStatusCode.Created);
        app.IssuedSecrets.Add(key.GetProperty("key").GetString()!);
        await (await client.GetAsync("/api/v1/api-keys")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var events = await (await client.GetAsync("/api/v1/audit-events")).ShouldBeJsonAsync(HttpStatusCode.OK);
        Assert.Equal("user", events.GetProperty("data")[0].GetProperty("actor").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Viewer_can_read_but_not_change()
    {
        var email = await RegisterAsync();
        await using (var db = app.OpenDatabase())
            await db.Database.ExecuteSqlAsync($"""UPDATE "OrganizationMembers" SET "Role" = 'Viewer' WHERE "UserId" = (SELECT "Id" FROM "AspNetUsers" WHERE "Email" = {email})""");
        var client = ClientWith((await (await app.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("access_token").GetString()!);

        await (await client.GetAsync("/api/v1/api-keys")).ShouldBeJsonAsync(HttpStatusCode.OK);
        var create = await client.PostAsJsonAsync("/api/v1/api-keys", new { name = "Nope", scopes = new[] { "contacts:read" } });

        Assert.Equal("api-keys:write", (await create.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope")).GetProperty("required_scope").GetString());
    }

    [Fact]
    public async Task Two_factor_login_needs_a_fresh_code_or_an_unused_recovery_code()
    {
        var email = await RegisterAsync();
        var (secret, recoveryCodes) = await app.EnableTwoFactorAsync(email);
        var code = TotpVerifier.Compute(secret, app.Time.GetUtcNow());

        await (await app.LoginAsync(email)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "two_factor_required");
        await (await app.LoginAsync(email, code: "000000")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_two_factor_code");
        await (await app.LoginAsync(email, code: code)).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await app.LoginAsync(email, code: code)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_two_factor_code");
        await (await app.LoginAsync(email, code: recoveryCodes[0])).ShouldBeJsonAsync(HttpStatusCode.OK);
        await (await app.LoginAsync(email, code: recoveryCodes[0])).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_two_factor_code");
    }

    [Fact]
    public async Task Five_failures_lock_the_account_even_for_the_right_password()
    {
        var email = await RegisterAsync();

        for (var i = 0; i < 4; i++)
            await (await app.LoginAsync(email, "wrong")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        var fifth = await (await app.LoginAsync(email, "wrong")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "locked_out");
        var right = await (await app.LoginAsync(email)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "locked_out");

        Assert.True(fifth.GetProperty("retry_after").GetInt32() > 0);
        Assert.True(right.GetProperty("retry_after").GetInt32() > 0);
    }

    [Fact]
    public async Task Refresh_tokens_rotate_and_a_reused_one_ends_the_whole_session()
    {
        var email = await RegisterAsync();
        var first = await (await app.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var firstRefresh = first.GetProperty("refresh_token").GetString()!;

        var second = await (await app.RefreshAsync(firstRefresh)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var secondRefresh = second.GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(firstRefresh, secondRefresh);
        await (await ClientWith(second.GetProperty("access_token").GetString()!).GetAsync("/api/v1/api-keys")).ShouldBeJsonAsync(HttpStatusCode.OK);

        await (await app.RefreshAsync(firstRefresh)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
        await (await app.RefreshAsync(secondRefresh)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
    }

    [Fact]
    public async Task Logout_ends_the_session()
    {
        var email = await RegisterAsync();
        var refresh = (await (await app.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("refresh_token").GetString()!;

        var logout = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/logout", new { refresh_token = refresh });

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await (await app.RefreshAsync(refresh)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
    }

    [Fact]
    public async Task Garbage_refresh_token_is_refused()
    {
        await (await app.RefreshAsync("bsr_nope")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
    }

    [Fact]
    public async Task Access_token_expires_after_fifteen_minutes_and_refresh_still_works()
    {
        var email = await RegisterAsync();
        var tokens = await (await app.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK);
        var client = ClientWith(tokens.GetProperty("access_token").GetString()!);

        app.Time.Advance(TimeSpan.FromMinutes(14));
        await (await client.GetAsync("/api/v1/api-keys")).ShouldBeJsonAsync(HttpStatusCode.OK);
        app.Time.Advance(TimeSpan.FromMinutes(2));
        await (await client.GetAsync("/api/v1/api-keys")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "access_token_expired");

        await (await app.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!)).ShouldBeJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Revoking_all_of_a_users_sessions_kills_their_refresh_tokens()
    {
        var email = await RegisterAsync();
        var refresh = (await (await app.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK)).GetProperty("refresh_token").GetString()!;

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email);
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<RefreshTokenService>().RevokeAllForUserAsync(user!.Id));
        }

        await (await app.RefreshAsync(refresh)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "refresh_token_reused");
    }

    [Fact]
    public async Task Malformed_login_body_is_a_400()
    {
        var response = await app.CreateClient().PostAsync("/api/v1/auth/login", new StringContent("{", System.Text.Encoding.UTF8, "application/json"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "malformed_request");
    }

    private async Task<string> RegisterAsync()
    {
        var email = $"user-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(email);
        return email;
    }

    private HttpClient ClientWith(string accessToken)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }
}
