using Backside.Core.ApiKeys;
using Backside.Core.Audit;
using Backside.Core.Common;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Tests.Infrastructure;
using Backside.Web.Dashboard;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Backside.Tests.Api;

/// <summary>The audit log as people read it: names instead of ids, only the reader's organization's names, and filters.</summary>
public class AuditLogReadingTests(BacksideAppFactory app) : IClassFixture<BacksideAppFactory>
{
    private Task<AuditEventPage> PageAsync(Caller caller, AuditLogFilter? filter = null, int size = 100) =>
        app.WithServiceAsync<AuditLog, AuditEventPage>(async log =>
        {
            var result = await log.PageAsync(caller, filter ?? AuditLogFilter.None, 0, size);
            Assert.True(result.Succeeded, result.Error?.Message);
            return result.Value;
        });

    private async Task<Caller> AuthenticatedAsAsync(CreatedApiKey key)
    {
        var credential = await app.WithServiceAsync<DatabaseApiKeyCredentialStore, ApiKeyCredential?>(
            async store => await store.FindBySecretHashAsync(ApiKeyFormat.Hash(key.Secret), CancellationToken.None));
        return Caller.ForKey(credential!);
    }

    private static string EmailOf(BacksideAppFactory host, string userId)
    {
        using var db = host.OpenDatabase();
        return db.Users.Single(u => u.Id == userId).Email!;
    }

    [Fact]
    public async Task People_read_as_emails_keys_as_names_with_hints_and_a_full_access_creation_without_none_arrows()
    {
        var owner = await app.CreateMemberAsync();
        var maker = await app.CreateKeyAsync(owner, scopes: null, name: "Deploy bot");
        var byKey = await AuthenticatedAsAsync(maker);
        var made = await app.CreateKeyAsync(byKey, [Scopes.ContactsRead], name: "Made by a key");

        var page = await PageAsync(owner);

        var first = page.Items.Single(e => e.Event.ApiKeyId == maker.Key.Id);
        Assert.Equal(EmailOf(app, owner.ActorId), first.Actor.Text);
        Assert.Equal($"Deploy bot ({maker.Key.Hint})", first.Key!.Text);
        var lines = AuditDisplay.Describe(first);
        Assert.Contains("Permissions: full access", lines);
        Assert.Contains("Name: Deploy bot", lines);
        Assert.DoesNotContain(lines, l => l.Contains("none", StringComparison.Ordinal) || l.Contains('→'));
        var second = page.Items.Single(e => e.Event.ApiKeyId == made.Key.Id);
        Assert.Equal($"API key Deploy bot ({maker.Key.Hint})", AuditDisplay.Actor(second.Actor));
        Assert.Contains("Permissions: contacts:read", AuditDisplay.Describe(second));
    }

    [Fact]
    public async Task A_person_in_two_organizations_sees_only_the_current_one_s_names()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Admin, OrganizationRole.Viewer);
        var admin = team.With(OrganizationRole.Admin);
        var viewer = team.With(OrganizationRole.Viewer);
        // The admin's own key in their personal organization, and one in the team.
        var personal = await app.WithServiceAsync<OrganizationService, Membership?>(o => o.FindMembershipAsync(admin.UserId));
        var privateKey = await app.CreateKeyAsync(Caller.ForMember(personal!, admin.UserId), [Scopes.ContactsRead], name: "Private key");
        var teamKey = await app.CreateKeyAsync(admin.Caller, [Scopes.ContactsRead], name: "Team key");
        Event otherOrganization;
        await using (var db = app.OpenDatabase())
            otherOrganization = new(await db.AuditEvents.SingleAsync(e => e.ApiKeyId == privateKey.Key.Id));

        // The viewer, in the team, names the events the team's log holds, and an event of the admin's personal
        // organization handed to the namer directly still resolves nothing of that organization.
        var named = await app.WithServiceAsync<AuditLog, IReadOnlyList<AuditLogEntry>>(
            log => log.NameAsync(viewer.Caller, [otherOrganization.Value]));
        var page = await PageAsync(viewer.Caller);

        Assert.Equal(AuditNameKind.UnknownApiKey, named[0].Key!.Kind);
        Assert.DoesNotContain("Private key", named[0].Key!.Text);
        Assert.Equal(admin.Email, page.Items.Single(e => e.Event.ApiKeyId == teamKey.Key.Id).Actor.Text);
        Assert.DoesNotContain(page.Items, e => e.Event.ApiKeyId == privateKey.Key.Id);
    }

    private sealed record Event(AuditEvent Value);

    [Fact]
    public async Task A_former_member_reads_without_their_email_and_a_deleted_account_reads_as_deleted()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Admin, OrganizationRole.Developer);
        var leaving = team.With(OrganizationRole.Admin);
        var deleted = team.With(OrganizationRole.Developer);
        var leavingKey = await app.CreateKeyAsync(leaving.Caller, [Scopes.ContactsRead], name: "By the leaver");
        var deletedKey = await app.CreateKeyAsync(deleted.Caller, [Scopes.ContactsRead], environment: "test", name: "By the deleted");
        await using (var db = app.OpenDatabase())
        {
            await db.OrganizationMembers.Where(m => m.OrganizationId == team.OrganizationId && m.UserId == leaving.UserId).ExecuteDeleteAsync();
            await db.OrganizationMembers.Where(m => m.UserId == deleted.UserId).ExecuteDeleteAsync();
            await db.Users.Where(u => u.Id == deleted.UserId).ExecuteDeleteAsync();
        }

        var page = await PageAsync(team.Owner.Caller);

        var left = page.Items.Single(e => e.Event.ApiKeyId == leavingKey.Key.Id).Actor;
        Assert.Equal(AuditNameKind.FormerMember, left.Kind);
        Assert.DoesNotContain(leaving.Email, left.Text);
        Assert.Equal("Deleted account", page.Items.Single(e => e.Event.ApiKeyId == deletedKey.Key.Id).Actor.Text);
    }

    [Fact]
    public async Task A_page_costs_the_same_queries_for_five_events_as_for_forty()
    {
        var owner = await app.CreateMemberAsync();
        for (var i = 0; i < 40; i++)
            await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: $"Key {i}");

        async Task<int> QueriesFor(int size)
        {
            var before = app.Commands.Count;
            var page = await PageAsync(owner, size: size);
            Assert.Equal(size, page.Items.Count);
            return app.Commands.Count - before;
        }

        var small = await QueriesFor(5);
        var large = await QueriesFor(40);
        Assert.Equal(small, large);
        Assert.True(large <= 4, $"{large} queries for one page");
    }

    [Fact]
    public async Task Filters_by_action_actor_key_dates_and_search_narrow_the_log()
    {
        var team = await app.CreateTeamAsync(OrganizationRole.Admin);
        var admin = team.With(OrganizationRole.Admin);
        var alpha = await app.CreateKeyAsync(team.Owner.Caller, [Scopes.ContactsRead], name: "Alpha reporting");
        app.Time.Advance(TimeSpan.FromDays(2));
        var beta = await app.CreateKeyAsync(admin.Caller, [Scopes.ContactsRead], name: "Beta sync");
        await app.RevokeAsync(admin.Caller, beta.Key.Id);
        var dayOfBeta = DateOnly.FromDateTime(app.Time.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd");

        async Task<IEnumerable<string>> Keys(AuditLogFilter filter) =>
            (await PageAsync(team.Owner.Caller, filter)).Items.Select(e => $"{e.Event.Action}:{e.Key?.Text}");

        Assert.Equal([$"api_key.revoked:Beta sync ({beta.Key.Hint})"], await Keys(new() { Action = AuditActions.ApiKeyRevoked }));
        Assert.Equal(2, (await Keys(new() { ApiKeyId = beta.Key.Id })).Count());
        Assert.Equal(2, (await Keys(new() { ActorId = admin.UserId })).Count());
        Assert.Equal([$"api_key.created:Alpha reporting ({alpha.Key.Hint})"], await Keys(new() { Search = "alpha rep" }));
        Assert.Equal(2, (await Keys(new() { Search = admin.Email[..12] })).Count());
        Assert.Equal(2, (await Keys(AuditLogFilter.Parse(null, null, null, dayOfBeta, dayOfBeta, null).Value!)).Count());
        Assert.Empty(await Keys(new() { Search = "100%_" }));
    }

    [Theory]
    [InlineData("action", "api_key.exploded", null, null, null)]
    [InlineData("actor", null, "robert'); drop table", null, null)]
    [InlineData("from", null, null, "yesterday", null)]
    [InlineData("to", null, null, "2026-11-23", "2026-11-01")]
    [InlineData("to", null, null, null, "9999-12-31T23:59:59+14:00 and more text to be long")]
    public void Bad_filter_input_is_a_field_error_not_an_exception(string field, string? action, string? actor, string? from, string? to)
    {
        var parsed = AuditLogFilter.Parse(action, actor, null, from, to, null);

        Assert.False(parsed.Succeeded);
        Assert.Equal(ErrorKind.Validation, parsed.Error.Kind);
        Assert.Contains(field, parsed.Error.FieldErrors!.Keys);
    }

    [Fact]
    public void The_last_day_there_is_parses_without_overflowing()
    {
        var parsed = AuditLogFilter.Parse(null, null, null, "9999-12-31", "9999-12-31", null);

        Assert.True(parsed.Succeeded, parsed.Error?.Message);
        Assert.Equal(DateTimeOffset.MaxValue, parsed.Value.To);
    }

    [Fact]
    public async Task A_caller_without_audit_read_gets_nothing()
    {
        var owner = await app.CreateMemberAsync();
        var key = await app.CreateKeyAsync(owner, [Scopes.ContactsRead]);
        var caller = await AuthenticatedAsAsync(key);

        var result = await app.WithServiceAsync<AuditLog, OperationResult<AuditEventPage>>(log => log.PageAsync(caller, AuditLogFilter.None, 0, 10));
        var suggestions = await app.WithServiceAsync<AuditLog, IReadOnlyList<AuditName>>(log => log.SuggestActorsAsync(caller, null));

        Assert.Equal("insufficient_scope", result.Error?.Code);
        Assert.Empty(suggestions);
    }

    [Fact]
    public async Task An_export_is_bounded_and_newest_first()
    {
        var owner = await app.CreateMemberAsync();
        for (var i = 0; i < 5; i++)
            await app.CreateKeyAsync(owner, [Scopes.ContactsRead], name: $"Export {i}");

        await using var scope = app.Services.CreateAsyncScope();
        var export = scope.ServiceProvider.GetRequiredService<AuditLog>().Export(owner, AuditLogFilter.None, maxRows: 3);
        var rows = new List<AuditLogEntry>();
        await foreach (var row in export.Value!.Rows)
            rows.Add(row);

        Assert.Equal(["Export 4", "Export 3", "Export 2"], rows.Select(r => r.Key!.Label));
        Assert.True(AuditLog.MaxExportRows <= 10_000);
    }
}
