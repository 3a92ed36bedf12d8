using System.Net;
using System.Net.Http.Json;
using Backside.Core.Identity;
using Backside.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Security;

/// <summary>
/// An email is counted, locked and throttled in the form Identity looks it up in: no spelling (spaces, case, Unicode
/// compatibility forms) makes one account two, so none lets an attacker tell real accounts from unknown ones.
/// </summary>
public class EmailSpellingTests(RealClockAppFactory app) : IClassFixture<RealClockAppFactory>
{
    public static TheoryData<string> Spellings() => ["  {0}", "{0}  ", "{1}"];

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task Another_spelling_of_an_unknown_email_counts_toward_its_lockout_as_it_would_for_a_real_one(string spelling)
    {
        // The Kelvin sign (U+212A) normalizes to K, as Identity's lookup does.
        var local = $"kate{Guid.NewGuid():N}";
        var real = $"{local}@example.com";
        await app.CreateMemberAsync(real);
        var unknown = $"{local}x@example.com";

        var codes = new List<(string Real, string Unknown)>();
        for (var i = 0; i < 5; i++)
        {
            // Four failures spelled plainly, the fifth in another spelling: both must lock out on it.
            string Spell(string email) => i < 4 ? email : string.Format(spelling, email, "\u212A" + email[1..]);
            var forReal = await (await app.LoginAsync(Spell(real), "wrong")).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            var forUnknown = await (await app.LoginAsync(Spell(unknown), "wrong")).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            codes.Add((forReal.GetProperty("code").GetString()!, forUnknown.GetProperty("code").GetString()!));
        }

        Assert.All(codes, pair => Assert.Equal(pair.Real, pair.Unknown));
        Assert.Equal("locked_out", codes[^1].Unknown);
    }

    [Fact]
    public async Task An_email_longer_than_any_account_can_have_is_refused_without_a_lookup_or_a_lockout_entry()
    {
        var huge = new string('a', 60_000) + "@example.com";

        var response = await app.LoginAsync(huge, "whatever");

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        var lockouts = app.Services.GetRequiredService<UnknownAccountLockouts>();
        Assert.Null(lockouts.LockedUntil(huge));
    }

    [Fact]
    public async Task Registration_refuses_an_email_over_256_characters_and_stores_nothing()
    {
        var email = new string('b', 300) + "@example.com";
        await using var scope = app.Services.CreateAsyncScope();
        var registration = scope.ServiceProvider.GetRequiredService<UserRegistration>();

        var result = await registration.RegisterAsync(new ApplicationUser { UserName = email, Email = email }, BacksideAppFactory.Password);

        Assert.False(result.Succeeded);
        Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByEmailAsync(email));
        Assert.DoesNotContain(new string('b', 100), string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}

/// <summary>The real clock and a floor under failed sign-ins long enough to tell from any sign-in's own time.</summary>
public sealed class SignInFloorAppFactory : BacksideAppFactory
{
    public static readonly TimeSpan Floor = TimeSpan.FromSeconds(2);

    protected override bool UseFakeTime => false;

    protected override TimeSpan SignInFailureFloor => Floor;
}

/// <summary>A failed sign-in takes as long for an unknown email as for a real one: at least the floor, both.</summary>
public class SignInTimingTests(SignInFloorAppFactory app) : IClassFixture<SignInFloorAppFactory>
{
    [Fact]
    public async Task Failed_sign_ins_of_real_and_unknown_emails_both_take_at_least_the_floor()
    {
        var real = $"real-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(real);
        await app.LoginAsync(real, "warm-up"); // the first request compiles what the others reuse

        foreach (var email in new[] { real, $"nobody-{Guid.NewGuid():N}@example.com" })
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var response = await app.LoginAsync(email, "wrong");
            watch.Stop();

            await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
            Assert.True(watch.Elapsed >= SignInFloorAppFactory.Floor, $"{email} failed in {watch.Elapsed.TotalMilliseconds} ms");
        }
    }

    [Fact]
    public async Task A_successful_sign_in_is_not_held_back()
    {
        var real = $"fast-{Guid.NewGuid():N}@example.com";
        await app.CreateMemberAsync(real);
        await app.LoginAsync(real, BacksideAppFactory.Password);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var response = await app.LoginAsync(real, BacksideAppFactory.Password);
        watch.Stop();

        await response.ShouldBeJsonAsync(HttpStatusCode.OK);
        // The password hash takes tens of milliseconds; a floor added to successes would take the full two seconds.
        Assert.True(watch.Elapsed < SignInFloorAppFactory.Floor, $"{watch.Elapsed.TotalMilliseconds} ms");
    }
}
