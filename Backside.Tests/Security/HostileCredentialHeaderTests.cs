using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Backside.Core.ApiKeys;
using Backside.Tests.Infrastructure;
using Microsoft.Extensions.Primitives;
using Xunit.Abstractions;

namespace Backside.Tests.Security;

/// <summary>
/// Issue 13's generated credential headers, through the whole app: none is ever accepted, none gets a 5xx, and every
/// refusal is a small problem+json. The in-memory server enforces no header-size limit (Kestrel answers 431 past
/// 32 KB of headers before the app runs; <see cref="HostileKestrelTests"/> covers that), so here the app itself
/// must cope with 64 KB values.
/// </summary>
public class HostileCredentialHeaderTests(BacksideAppFactory app, ITestOutputHelper output) : IClassFixture<BacksideAppFactory>
{
    /// <summary>What a refused credential may be answered: never a success, never a server error.</summary>
    private static readonly int[] RefusalStatuses = [400, 401, 402, 403, 431];

    private async Task<HostileCredentials> ArrangeAsync()
    {
        var email = $"hostile-{Guid.NewGuid():N}@example.com";
        var owner = await app.CreateMemberAsync(email);
        var key = await app.CreateKeyAsync(owner, scopes: null);
        var victim = await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: "Victim");
        var revoked = await app.CreateKeyAsync(owner, scopes: null, name: "Revoked");
        await app.RevokeAsync(owner, revoked.Key.Id);
        var login = await (await app.LoginAsync(email)).ShouldBeJsonAsync(HttpStatusCode.OK);
        return new HostileCredentials(key.Secret, key.Key.Id, victim.Key.Id, revoked.Secret, login.GetProperty("access_token").GetString()!);
    }

    [Fact]
    public async Task Five_thousand_generated_credential_headers_are_all_refused_small_and_without_a_server_error()
    {
        var real = await ArrangeAsync();
        var cases = HostileCredentialCases.Generate(real);
        Assert.True(cases.Count >= 5_000, $"only {cases.Count} cases");
        var before = await HostileDatabaseSnapshot.TakeAsync(app);

        var clock = Stopwatch.StartNew();
        var answers = await app.SendAllAsync(cases.Select(c => c.Request).ToList());
        clock.Stop();

        var failures = new List<string>();
        foreach (var (hostile, (_, answer)) in cases.Zip(answers))
        {
            var broken = !RefusalStatuses.Contains(answer.Status) && !HostileAnswerRules.IsRateLimited(answer)
                ? $"answered {HostileAnswerRules.Code(answer)}"
                : HostileAnswerRules.RefusalProblem(answer);
            if (broken is null && hostile.TwoCredentials && HostileAnswerRules.Code(answer) != "400 ambiguous_credentials")
                broken = $"two credentials answered {HostileAnswerRules.Code(answer)}, not 400 ambiguous_credentials";
            if (broken is not null)
                failures.Add($"[{hostile.Family}] {broken}: {hostile.Request.Describe()}");
        }
        output.WriteLine($"{cases.Count} cases in {clock.Elapsed.TotalSeconds:0.0} s: {HostileAnswerRules.Tally(answers.Select(a => a.Answer))}");
        HostileAnswerRules.AssertNone(failures, cases.Count);
        Assert.Equal(before, await HostileDatabaseSnapshot.TakeAsync(app));
    }

    [Fact]
    public void The_generator_is_the_same_on_every_run_but_for_the_real_credentials_it_bends()
    {
        var real = new HostileCredentials(
            ApiKeyFormat.LivePrefix + new string('A', 37) + ApiKeyFormat.Checksum(ApiKeyFormat.LivePrefix + new string('A', 37)),
            "key_" + new string('1', 32), "key_" + new string('2', 32), ApiKeyFormat.TestPrefix + new string('B', 43), "aaa.bbb.ccc");

        var first = HostileCredentialCases.Generate(real).Select(c => c.Request.Describe()).ToList();
        var second = HostileCredentialCases.Generate(real).Select(c => c.Request.Describe()).ToList();

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Generated_well_formed_keys_pass_the_format_check_so_they_reach_the_lookup()
    {
        var real = await ArrangeAsync();

        var wellFormed = HostileCredentialCases.Generate(real)
            .Where(c => c.Family == "a well-formed key that matches nothing in X-API-Key")
            .Select(c => c.Request.Headers.Single().Value.ToString())
            .ToList();

        Assert.NotEmpty(wellFormed);
        Assert.All(wellFormed, k => Assert.True(ApiKeyFormat.TryParse(k, out _), k));
    }

    /// <summary>The control: the same harness, the real credential in each plain form, is let in. So a refusal above is the app's.</summary>
    [Fact]
    public async Task The_real_credentials_in_their_plain_forms_are_accepted_through_the_same_harness()
    {
        var real = await ArrangeAsync();
        List<KeyValuePair<string, StringValues>>[] plain =
        [
            [new("Authorization", "Bearer " + real.Secret)],
            [new("Authorization", "bearer " + real.Secret)],
            [new("X-API-Key", real.Secret)],
            [new("X-Api-Key", real.KeyId), new("X-Api-Secret", real.Secret)],
            [new("Authorization", "Bearer " + real.AccessToken)],
        ];

        foreach (var headers in plain)
        {
            var answer = await app.SendAsync(new HostileRequest("GET", "/api/v1/api-keys") { Headers = headers });
            Assert.True(answer.Status == 200, $"{answer.Status} {answer.Text}");
            Assert.Equal("list", JsonDocument.Parse(answer.Body).RootElement.GetProperty("object").GetString());
        }
    }
}
