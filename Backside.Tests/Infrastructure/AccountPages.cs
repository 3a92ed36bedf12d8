using System.Net;
using System.Text.RegularExpressions;
using Backside.Core.Identity;
using MimeKit;

namespace Backside.Tests.Infrastructure;

/// <summary>
/// What a person does on the Identity pages, over plain HTTP as a browser without script would: fetch the page,
/// then post its form with the form's hidden fields (antiforgery token, handler name) and what they typed.
/// </summary>
public static partial class AccountPages
{
    public static Task<HttpResponseMessage> RegisterAsync(this HttpClient client, string email, string password = BacksideAppFactory.Password) =>
        client.SubmitAsync("/Account/Register", "register",
            ("Input.Email", email), ("Input.Password", password), ("Input.ConfirmPassword", password));

    public static Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password = BacksideAppFactory.Password) =>
        client.SubmitAsync("/Account/Login", "login", ("Input.Email", email), ("Input.Password", password));

    /// <summary>Password, then the authenticator code on the page the password leads to.</summary>
    public static async Task SignInWithCodeAsync(this HttpClient client, string email, string code)
    {
        var secondStep = await client.SignInAsync(email);
        var page = secondStep.RequestMessage!.RequestUri!.PathAndQuery;
        Assert.StartsWith("/Account/LoginWith2fa", page);
        await client.SubmitAsync(page, "login-with-2fa", ("Input.TwoFactorCode", code));
        Assert.True(await client.IsSignedInAsync(), "The authenticator code did not sign in.");
    }

    /// <summary>Whether the client's cookie opens an account page (signed-out clients are sent to the login page).</summary>
    public static async Task<bool> IsSignedInAsync(this HttpClient client)
    {
        var response = await client.GetAsync("/Account/Manage");
        return response.StatusCode == HttpStatusCode.OK && response.RequestMessage!.RequestUri!.AbsolutePath == "/Account/Manage";
    }

    /// <summary>Enrols an authenticator from the page's key with a code of the app's clock; returns the secret.</summary>
    public static async Task<string> EnableTwoFactorAsync(this HttpClient client, DateTimeOffset now, string? clientAddress = null)
    {
        var page = await client.GetStringAsync("/Account/Manage/EnableAuthenticator");
        var secret = KeyOnPage().Match(page).Groups[1].Value.Replace(" ", "").ToUpperInvariant();
        Assert.NotEmpty(secret);
        var response = await client.SubmitAsync("/Account/Manage/EnableAuthenticator", "send-code", clientAddress,
            ("Input.Code", TotpVerifier.Compute(secret, now)));
        Assert.Contains("Your authenticator app has been verified.", await response.Content.ReadAsStringAsync());
        return secret;
    }

    public static Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string page, string formName, params (string Name, string Value)[] typed) =>
        client.SubmitAsync(page, formName, clientAddress: null, typed);

    /// <param name="clientAddress">The connection address the app sees for the post (<see cref="TestClientAddressStartupFilter"/>).</param>
    public static Task<HttpResponseMessage> SubmitAsync(
        this HttpClient client, string page, string formName, string? clientAddress, params (string Name, string Value)[] typed) =>
        SubmitAsync(client, client, page, formName, clientAddress, typed);

    /// <summary>Fetches the form from one instance and posts it to another, as a browser behind a load balancer may.</summary>
    public static Task<HttpResponseMessage> SubmitAcrossAsync(
        this HttpClient formFrom, HttpClient postTo, string page, string formName, params (string Name, string Value)[] typed) =>
        SubmitAsync(formFrom, postTo, page, formName, clientAddress: null, typed);

    private static async Task<HttpResponseMessage> SubmitAsync(
        HttpClient formFrom, HttpClient client, string page, string formName, string? clientAddress, (string Name, string Value)[] typed)
    {
        var html = await formFrom.GetStringAsync(page);
        var form = Forms().Matches(html).Select(m => m.Value)
            .SingleOrDefault(f => HiddenFields(f).Any(field => field.Key == "_handler" && field.Value == formName));
        Assert.True(form is not null, $"{page} has no form named {formName}.");
        var fields = HiddenFields(form).ToDictionary(f => f.Key, f => f.Value);
        foreach (var (name, value) in typed)
            fields[name] = value;
        using var request = new HttpRequestMessage(HttpMethod.Post, page) { Content = new FormUrlEncodedContent(fields) };
        if (clientAddress is not null)
            request.Headers.Add(TestClientAddressStartupFilter.HeaderName, clientAddress);
        return await client.SendAsync(request);
    }

    /// <summary>The target of the first link in the mail's HTML, as the person would click it.</summary>
    public static string FirstLink(this MimeMessage message)
    {
        var match = Link().Match(message.HtmlBody ?? "");
        Assert.True(match.Success, $"The mail '{message.Subject}' has no link.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static IEnumerable<KeyValuePair<string, string>> HiddenFields(string form) =>
        Inputs().Matches(form)
            .Select(m => m.Value)
            .Where(input => Attribute(input, "type") == "hidden" && Attribute(input, "name") is not null)
            .Select(input => KeyValuePair.Create(Attribute(input, "name")!, Attribute(input, "value") ?? ""));

    private static string? Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $"""\s{name}="([^"]*)" """.TrimEnd());
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    [GeneratedRegex("<form\\b.*?</form>", RegexOptions.Singleline)]
    private static partial Regex Forms();

    [GeneratedRegex("<input\\b[^>]*>")]
    private static partial Regex Inputs();

    [GeneratedRegex("<a href=\"([^\"]+)\"")]
    private static partial Regex Link();

    [GeneratedRegex("data-testid=\"authenticator-key\">([^<]+)<")]
    private static partial Regex KeyOnPage();
}
