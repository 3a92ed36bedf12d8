using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Backside.Core.Identity;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Account;

/// <summary>
/// What a caller without a browser can post to the passkey pages and endpoints: credentials that are garbage, too
/// large, or sent with no ceremony under way get a 4xx or the page's own error, never a 500.
/// </summary>
public partial class PasskeyHostileInputTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    private static readonly string[] Garbage =
    [
        "not json", "{}", "[]", "null", "{\"id\":\"AAAA\",\"type\":\"public-key\",\"response\":{}}",
        "{\"id\":" + new string('[', 5000) + "}", "{\"id\":\"" + new string('A', 15_000) + "\"}",
    ];

    [Fact]
    public async Task Garbage_credentials_on_the_login_page_are_an_invalid_login_not_a_500()
    {
        var email = $"hostile-pk-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(email);
        foreach (var credential in Garbage)
        {
            // No options asked for first: no ceremony is under way.
            var client = app.CreateClient();
            var response = await client.SubmitAsync("/Account/Login", "login", ("Input.Passkey.CredentialJson", credential));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Invalid login attempt.", await response.Content.ReadAsStringAsync());

            // With a ceremony under way (its cookie set by the options endpoint), the same.
            await RequestOptionsAsync(client, "/Account/Login", "/Account/PasskeyRequestOptions");
            response = await client.SubmitAsync("/Account/Login", "login", ("Input.Passkey.CredentialJson", credential));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Invalid login attempt.", await response.Content.ReadAsStringAsync());
            Assert.False(await client.IsSignedInAsync());
        }
    }

    [Fact]
    public async Task Garbage_credentials_on_the_passkeys_page_add_nothing_and_say_why()
    {
        var (client, _) = await SignedInClientAsync();
        foreach (var credential in Garbage)
        {
            var response = await client.SubmitAsync("/Account/Manage/Passkeys", "add-passkey", ("Input.CredentialJson", credential));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("The passkey was not added", await response.Content.ReadAsStringAsync());

            await RequestOptionsAsync(client, "/Account/Manage/Passkeys", "/Account/PasskeyCreationOptions");
            response = await client.SubmitAsync("/Account/Manage/Passkeys", "add-passkey", ("Input.CredentialJson", credential));
            var page = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("The passkey was not added", page);
            Assert.Contains("You have no passkeys yet.", page);
        }
    }

    [Fact]
    public async Task A_credential_larger_than_a_form_field_may_hold_is_refused_with_400()
    {
        var client = app.CreateClient();
        var response = await client.SubmitAsync("/Account/Login", "login", ("Input.Passkey.CredentialJson", new string('A', 100_000)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_passkey_row_posted_with_an_id_the_person_does_not_have_changes_nothing()
    {
        var (client, email) = await SignedInClientAsync();
        var own = await SeedPasskeyAsync(email);
        var otherEmail = $"hostile-pk-other-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(otherEmail);
        var others = await SeedPasskeyAsync(otherEmail);

        foreach (var credentialId in new[] { "not-base64!", "", others, new string('A', 5000) })
        {
            foreach (var action in new[] { "delete", "rename", "something-else" })
            {
                var response = await SubmitPasskeyRowAsync(client, formOf: own, action, credentialId);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Contains("That passkey could not be found.", await response.Content.ReadAsStringAsync());
            }
            if (credentialId.Length > 0)
            {
                var rename = await client.GetAsync("/Account/Manage/RenamePasskey/" + Uri.EscapeDataString(credentialId));
                Assert.Equal(HttpStatusCode.OK, rename.StatusCode);
                Assert.Contains("That passkey could not be found.", await rename.Content.ReadAsStringAsync());
            }
        }

        Assert.Single(await PasskeysOfAsync(email));
        Assert.Single(await PasskeysOfAsync(otherEmail));
        Assert.True(await client.IsSignedInAsync());
    }

    [Fact]
    public async Task Removing_a_passkey_ends_the_accounts_other_sessions_but_not_this_one()
    {
        var (client, email) = await SignedInClientAsync();
        var other = app.CreateClient();
        await other.SignInAsync(email);
        Assert.True(await other.IsSignedInAsync());
        var passkey = await SeedPasskeyAsync(email);

        var response = await SubmitPasskeyRowAsync(client, formOf: passkey, "delete", passkey);

        Assert.Contains("Passkey removed.", await response.Content.ReadAsStringAsync());
        Assert.Empty(await PasskeysOfAsync(email));
        // The stamp is checked on requests after the cookie's issue time; the app's clock is the test's.
        app.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await client.IsSignedInAsync());
        Assert.False(await other.IsSignedInAsync());
    }

    [Fact]
    public async Task Passkey_options_without_the_antiforgery_token_are_a_400()
    {
        var (client, _) = await SignedInClientAsync();
        foreach (var endpoint in new[] { "/Account/PasskeyRequestOptions", "/Account/PasskeyCreationOptions" })
        {
            var response = await client.PostAsync(endpoint, new FormUrlEncodedContent([new("__RequestVerificationToken", "forged")]));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            response = await client.PostAsync(endpoint, content: null);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task Only_a_signed_in_person_can_start_adding_a_passkey()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var login = await client.GetStringAsync("/Account/Login");
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(login).Groups[1].Value);

        var response = await client.PostAsync("/Account/PasskeyCreationOptions", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.ToString());
    }

    private async Task<(HttpClient Client, string Email)> SignedInClientAsync()
    {
        var email = $"hostile-pk-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(email);
        var client = app.CreateClient();
        await client.SignInAsync(email);
        Assert.True(await client.IsSignedInAsync());
        return (client, email);
    }

    /// <summary>A stored passkey as a real ceremony would leave it (no authenticator can sign for it); returns its id as the page writes it.</summary>
    private async Task<string> SeedPasskeyAsync(string email)
    {
        var credentialId = RandomNumberGenerator.GetBytes(32);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByEmailAsync(email);
        var passkey = new UserPasskeyInfo(credentialId, RandomNumberGenerator.GetBytes(77), DateTimeOffset.UtcNow, 0, ["internal"],
            isUserVerified: true, isBackupEligible: false, isBackedUp: false, attestationObject: [0xa0], clientDataJson: "{}"u8.ToArray())
        {
            Name = "Seeded",
        };
        Assert.True((await users.AddOrUpdatePasskeyAsync(user!, passkey)).Succeeded);
        return Base64Url.EncodeToString(credentialId);
    }

    private async Task<IList<UserPasskeyInfo>> PasskeysOfAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.GetPasskeysAsync((await users.FindByEmailAsync(email))!);
    }

    /// <summary>What the page's script does before it asks the authenticator: options, with the page's token.</summary>
    private static async Task RequestOptionsAsync(HttpClient client, string page, string endpoint)
    {
        var html = await client.GetStringAsync(page);
        var token = WebUtility.HtmlDecode(RequestTokenAttribute().Match(html).Groups[1].Value);
        Assert.NotEmpty(token);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Headers.Add("RequestVerificationToken", token);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>The Rename/Remove form of the row of <paramref name="formOf"/>, posted for a credential id of the caller's choosing.</summary>
    private static async Task<HttpResponseMessage> SubmitPasskeyRowAsync(HttpClient client, string formOf, string action, string credentialId)
    {
        var html = await client.GetStringAsync("/Account/Manage/Passkeys");
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value);
        var form = new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", token), new("_handler", $"update-passkey-{formOf}"),
            new("CredentialId", credentialId), new("Action", action),
        ]);
        return await client.PostAsync("/Account/Manage/Passkeys", form);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("request-token-value=\"([^\"]+)\"")]
    private static partial Regex RequestTokenAttribute();
}
