using System.Net;
using System.Text;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace Backside.Tests.Account;

/// <summary>Account pages given what a stranger sends (no cookie, a garbled link, a huge field) answer cheaply and never fail.</summary>
public class AccountPageRobustnessTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    private static string NewEmail() => $"page-{Guid.NewGuid():N}@example.com";

    [Theory]
    [InlineData("/Account/LoginWith2fa")]
    [InlineData("/Account/LoginWithRecoveryCode")]
    public async Task A_two_factor_step_opened_without_the_password_step_sends_the_browser_to_sign_in(string page)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/Login", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task A_reset_link_whose_code_is_not_base64url_shows_the_invalid_link_page()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync("/Account/ResetPassword?code=a");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Account/InvalidPasswordReset", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task A_confirmation_link_of_a_real_account_with_a_garbled_code_says_the_email_was_not_confirmed()
    {
        var email = NewEmail();
        await app.CreateMemberAsync(email);
        string userId;
        await using (var db = app.OpenDatabase())
            userId = db.Users.Single(u => u.Email == email).Id;

        var response = await app.CreateClient().GetAsync($"/Account/ConfirmEmail?userId={userId}&code=a");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Error confirming your email.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Generating_recovery_codes_without_two_factor_sign_in_leads_to_the_two_factor_page_with_a_message()
    {
        var email = NewEmail();
        await app.CreateMemberAsync(email);
        var client = app.CreateClient();
        await client.SignInAsync(email);

        var response = await client.GetAsync("/Account/Manage/GenerateRecoveryCodes");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/Account/Manage/TwoFactorAuthentication", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("Turn on two-factor authentication before generating recovery codes.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_form_field_larger_than_64_KB_is_refused_before_any_page_code_runs()
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var huge = new string('a', 1024 * 1024) + "@example.com";

        var response = await client.SubmitAsync("/Account/Login", "login", ("Input.Email", huge), ("Input.Password", "guess"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length < 16 * 1024);
    }

    [Theory]
    [InlineData("/Account/Login", "login")]
    [InlineData("/Account/Register", "register")]
    [InlineData("/Account/ForgotPassword", "forgot-password")]
    [InlineData("/Account/ResendEmailConfirmation", "resend-email-confirmation")]
    public async Task An_email_longer_than_256_characters_is_refused_by_validation(string page, string form)
    {
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var email = new string('a', 250) + "@example.com";

        var response = await client.SubmitAsync(page, form,
            ("Input.Email", email), ("Input.Password", BacksideAppFactory.Password), ("Input.ConfirmPassword", BacksideAppFactory.Password));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The email must be at most 256 characters long.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_email_typed_with_spaces_around_it_signs_in_to_its_account()
    {
        var email = NewEmail();
        await app.CreateMemberAsync(email);
        var client = app.CreateClient();

        await client.SignInAsync($"  {email} ");

        Assert.True(await client.IsSignedInAsync());
    }

    [Fact]
    public async Task Five_failures_with_a_leading_space_lock_out_a_real_account_as_they_lock_out_an_unknown_email()
    {
        var real = NewEmail();
        await app.CreateMemberAsync(real);
        var unknown = NewEmail();

        foreach (var email in new[] { real, unknown })
        {
            var client = app.CreateClient();
            for (var i = 0; i < 5; i++)
                await client.SignInAsync(" " + email, "wrong password");
            var sixth = await client.SignInAsync(email, "wrong password");
            Assert.Equal("/Account/Lockout", sixth.RequestMessage!.RequestUri!.AbsolutePath);
        }
    }

    [Fact]
    public async Task A_bad_reset_code_gets_the_same_answer_for_a_real_email_as_for_an_unknown_one()
    {
        var real = NewEmail();
        await app.CreateMemberAsync(real);
        var page = "/Account/ResetPassword?code=" + WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes("not-a-token"));
        var client = app.CreateClient(new() { AllowAutoRedirect = false });
        const string password = "a long new passphrase";

        var forReal = await client.SubmitAsync(page, "reset-password", ("Input.Email", real), ("Input.Password", password), ("Input.ConfirmPassword", password));
        var forUnknown = await client.SubmitAsync(page, "reset-password", ("Input.Email", NewEmail()), ("Input.Password", password), ("Input.ConfirmPassword", password));

        Assert.Equal(HttpStatusCode.OK, forReal.StatusCode);
        Assert.Equal(forReal.StatusCode, forUnknown.StatusCode);
        const string answer = "This reset link is not valid for that email, or it has expired.";
        Assert.Contains(answer, await forReal.Content.ReadAsStringAsync());
        Assert.Contains(answer, await forUnknown.Content.ReadAsStringAsync());
        Assert.DoesNotContain("Invalid token", await forReal.Content.ReadAsStringAsync());
    }
}
