using System.Security.Cryptography;
using System.Text;
using Backside.Core.ApiKeys;
using Backside.Core.Audit;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Organizations;

/// <summary>
/// Invitations by email: create, list, resend, revoke (people with <see cref="OrganizationRight.ManageMembers"/>, live
/// keys with <c>members:write</c> as an Admin would), and accept (the invited person, signed in with that address
/// confirmed). A link works once, for <see cref="Invitation.Lifetime"/>, for one address; every write is audited on
/// the organization's chain, and the chain is what serialises racing writes (two accepts: one wins).
/// </summary>
public sealed class InvitationService(
    BacksideDbContext db, AuditTrail audit, TimeProvider time, IInvitationMailer mailer, FixedWindowThrottle throttle)
{
    /// <summary>Pending invitations one organization may have at a time, so nobody can mail-bomb from it.</summary>
    public const int MaxPending = 100;

    /// <summary>The least time between two mails of one invitation.</summary>
    public static readonly TimeSpan ResendInterval = TimeSpan.FromSeconds(60);


    /// <summary>
    /// Invites <paramref name="email"/> as <paramref name="role"/> (a wire name, such as <c>developer</c>) and mails the
    /// link. The result carries the raw token once; the API does not answer it, and nothing stores it.
    /// </summary>
    public async Task<OperationResult<CreatedInvitation>> CreateAsync(Caller caller, string? email, string? role, CancellationToken ct = default)
    {
        var result = await AuditedAsync<CreatedInvitation>(caller.OrganizationId, async () =>
        {
            var acting = await ActingRoleAsync(caller, Scopes.MembersWrite, ct);
            if (!acting.Succeeded)
                return acting.Error;

            var errors = new ValidationErrors();
            var address = ValidateEmail(errors, email);
            var parsed = OrganizationRoles.Parse(role);
            if (role is null)
                errors.Add("role", "role is required.");
            else if (parsed is null)
                errors.Add("role", $"role must be one of {string.Join(", ", OrganizationRoles.Names)}.");
            if (errors.Any)
                return errors.ToError();
            if (MayNotInvite(acting.Value, parsed!.Value) is { } refused)
                return refused;

            var normalized = Normalize(address!);
            var now = time.GetUtcNow();
            var alreadyMember = await db.OrganizationMembers
                .Where(m => m.OrganizationId == caller.OrganizationId)
                .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => u.NormalizedEmail)
                .AnyAsync(e => e == normalized, ct);
            if (alreadyMember)
                return OperationError.Conflict("already_member", "Someone with this email already belongs to the organization.");
            var pending = Pending(caller.OrganizationId, now);
            if (await pending.AnyAsync(i => i.NormalizedEmail == normalized, ct))
                return OperationError.Conflict("invitation_pending", "This address already has a pending invitation; resend it instead.");
            if (await pending.CountAsync(ct) >= MaxPending)
                return OperationError.Conflict("too_many_invitations",
                    $"The organization has {MaxPending} pending invitations; revoke some or wait until they are accepted or expire.");
            if (MailBudgetRefusal(normalized, caller.ActorId) is { } overBudget)
                return overBudget;

            var token = InvitationToken.Generate();
            var invitation = new Invitation
            {
                Id = EntityId.New(EntityId.InvitationPrefix, time),
                OrganizationId = caller.OrganizationId,
                Email = address!,
                NormalizedEmail = normalized,
                Role = parsed.Value,
                TokenHash = InvitationToken.Hash(token),
                InvitedBy = caller.ActorId,
                CreatedAt = now,
                ExpiresAt = now + Invitation.Lifetime,
                LastSentAt = now,
            };
            db.Invitations.Add(invitation);
            await audit.AppendAsync(caller, AuditActions.InvitationCreated, apiKeyId: null, livemode: true,
                new ChangeSet()
                    .Note("invitation_id", invitation.Id)
                    .Note("email", invitation.Email)
                    .Track("role", (string?)null, invitation.Role.Name())
                    .Note("expires_at", invitation.ExpiresAt), ct);
            await audit.SaveAsync(ct);
            return new CreatedInvitation(invitation, token);
        }, ct);
        if (result.Succeeded)
            await MailAsync(result.Value, ct);
        return result;
    }

    /// <summary>
    /// The organization's invitations, newest first, with who sent each: only the pending ones, or with
    /// <paramref name="includeAll"/> also the accepted, revoked and expired.
    /// </summary>
    public async Task<OperationResult<CursorPage<InvitationListItem>>> ListAsync(
        Caller caller, bool includeAll = false, int? limit = null, string? startingAfter = null, CancellationToken ct = default)
    {
        if (!caller.Scopes.Allows(Scopes.MembersRead))
            return OperationError.InsufficientScope(Scopes.MembersRead);
        var errors = new ValidationErrors();
        CursorPaging.Validate(errors, limit, startingAfter, EntityId.InvitationPrefix);
        if (errors.Any)
            return errors.ToError();

        var invitations = includeAll ? Visible(caller) : Pending(caller.OrganizationId, time.GetUtcNow());
        var page = await invitations.AsNoTracking().ToCursorPageAsync(limit, startingAfter, ct);
        var inviters = await EmailsOfAsync(page.Data.Select(i => i.InvitedBy), ct);
        return new CursorPage<InvitationListItem>(
            page.Data.Select(i => new InvitationListItem(i, inviters.GetValueOrDefault(i.InvitedBy))).ToList(), page.HasMore);
    }

    /// <summary>
    /// Mails the invitation again with a new token (the old link stops working) and a new expiry; an expired one comes
    /// back to life. At most once per <see cref="ResendInterval"/> (409 <c>resend_too_soon</c>).
    /// </summary>
    public async Task<OperationResult<CreatedInvitation>> ResendAsync(Caller caller, string id, CancellationToken ct = default)
    {
        var result = await AuditedAsync<CreatedInvitation>(caller.OrganizationId, async () =>
        {
            var acting = await ActingRoleAsync(caller, Scopes.MembersWrite, ct);
            if (!acting.Succeeded)
                return acting.Error;
            var invitation = await FindVisibleAsync(caller, id, ct);
            if (invitation is null)
                return OperationError.NotFound("invitation");
            if (MayNotInvite(acting.Value, invitation.Role) is { } refused)
                return refused;
            if (invitation.AcceptedAt is not null || invitation.RevokedAt is not null)
                return OperationError.Conflict("invitation_not_pending",
                    $"This invitation was {(invitation.AcceptedAt is not null ? "accepted" : "revoked")} and cannot be resent; invite the address again.");
            var now = time.GetUtcNow();
            if (now - invitation.LastSentAt < ResendInterval)
                return OperationError.Conflict("resend_too_soon",
                    $"This invitation was sent less than {ResendInterval.TotalSeconds:0} seconds ago; wait before sending it again.");
            if (MailBudgetRefusal(invitation.NormalizedEmail, caller.ActorId) is { } overBudget)
                return overBudget;

            var token = InvitationToken.Generate();
            var changes = new ChangeSet()
                .Note("invitation_id", invitation.Id)
                .Note("email", invitation.Email)
                .Track("expires_at", invitation.ExpiresAt, now + Invitation.Lifetime);
            invitation.TokenHash = InvitationToken.Hash(token);
            invitation.ExpiresAt = now + Invitation.Lifetime;
            invitation.LastSentAt = now;
            await audit.AppendAsync(caller, AuditActions.InvitationResent, apiKeyId: null, livemode: true, changes, ct);
            await audit.SaveAsync(ct);
            return new CreatedInvitation(invitation, token);
        }, ct);
        if (result.Succeeded)
            await MailAsync(result.Value, ct);
        return result;
    }

    /// <summary>The link stops working. Idempotent: revoking a revoked invitation answers it unchanged.</summary>
    public Task<OperationResult<Invitation>> RevokeAsync(Caller caller, string id, CancellationToken ct = default) =>
        AuditedAsync<Invitation>(caller.OrganizationId, async () =>
        {
            var acting = await ActingRoleAsync(caller, Scopes.MembersWrite, ct);
            if (!acting.Succeeded)
                return acting.Error;
            var invitation = await FindVisibleAsync(caller, id, ct);
            if (invitation is null)
                return OperationError.NotFound("invitation");
            if (MayNotInvite(acting.Value, invitation.Role) is { } refused)
                return refused;
            if (invitation.RevokedAt is not null)
                return invitation;
            if (invitation.AcceptedAt is not null)
                return OperationError.Conflict("invitation_not_pending",
                    "This invitation was accepted; remove the member instead.");

            invitation.RevokedAt = time.GetUtcNow();
            await audit.AppendAsync(caller, AuditActions.InvitationRevoked, apiKeyId: null, livemode: true,
                new ChangeSet().Note("invitation_id", invitation.Id).Note("email", invitation.Email), ct);
            await audit.SaveAsync(ct);
            return invitation;
        }, ct);

    /// <summary>
    /// What a link's token invites to, for the accept page; null for a token that is unknown, used or revoked (one
    /// answer for all three). An expired invitation is described, marked <see cref="InvitationPreview.Expired"/>.
    /// </summary>
    public async Task<InvitationPreview?> PreviewAsync(string? token, CancellationToken ct = default)
    {
        var invitation = await FindByTokenAsync(token, ct);
        if (invitation is null || invitation.AcceptedAt is not null || invitation.RevokedAt is not null)
            return null;
        var organization = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == invitation.OrganizationId, ct);
        var inviters = await EmailsOfAsync([invitation.InvitedBy], ct);
        return new InvitationPreview(invitation.Id, organization.Id, organization.Name, invitation.Role,
            inviters.GetValueOrDefault(invitation.InvitedBy), invitation.Email, invitation.NormalizedEmail, InvitationPreview.Mask(invitation.Email),
            invitation.ExpiresAt, invitation.ExpiresAt <= time.GetUtcNow());
    }

    /// <summary>
    /// Whether <paramref name="token"/> is a pending invitation for <paramref name="email"/>: registering through such a
    /// link proves the mailbox, as the confirmation mail would.
    /// </summary>
    public async Task<bool> IsPendingForAsync(string? token, string? email, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(email))
            return false;
        var invitation = await FindByTokenAsync(token, ct);
        return invitation is not null && invitation.IsPending(time.GetUtcNow()) && invitation.NormalizedEmail == Normalize(email.Trim());
    }

    /// <summary>
    /// The signed-in person <paramref name="userId"/> accepts the invitation <paramref name="token"/> belongs to. Their
    /// confirmed email must be the invited address (403 <c>invitation_email_mismatch</c>, naming neither); an unknown,
    /// used or revoked token is 400 <c>invitation_invalid</c>, an expired one 400 <c>invitation_expired</c>. On success
    /// they are a member with the invited role, and sign-in lands them in the organization next time.
    /// </summary>
    public async Task<OperationResult<Membership>> AcceptAsync(string userId, string? token, ClientInfo? client = null, CancellationToken ct = default)
    {
        var found = await FindByTokenAsync(token, ct);
        if (found is null)
            return Invalid();
        return await AuditedAsync<Membership>(found.OrganizationId, async () =>
        {
            // Read again inside the chain write: a racing accept or revoke that committed first is seen here.
            var invitation = await FindByTokenAsync(token, ct, track: true);
            if (invitation is null || invitation.AcceptedAt is not null || invitation.RevokedAt is not null)
                return Invalid();
            var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct);
            if (user is null || !user.EmailConfirmed || user.NormalizedEmail != invitation.NormalizedEmail)
                return OperationError.Forbidden("invitation_email_mismatch",
                    "This invitation was sent to another email address. Sign in with the account of the address it was sent to (its email confirmed).");
            var now = time.GetUtcNow();
            if (invitation.ExpiresAt <= now)
                return OperationError.Invalid(new Dictionary<string, string[]>
                {
                    ["token"] = ["This invitation has expired; ask whoever invited you to send it again."],
                }) with
                { Code = "invitation_expired", Message = "This invitation has expired." };
            if (await db.OrganizationMembers.AnyAsync(m => m.OrganizationId == invitation.OrganizationId && m.UserId == userId, ct))
                return OperationError.Conflict("already_member", "You already belong to this organization.");

            invitation.AcceptedAt = now;
            invitation.AcceptedBy = userId;
            db.OrganizationMembers.Add(new OrganizationMember
            {
                OrganizationId = invitation.OrganizationId,
                UserId = userId,
                Role = invitation.Role,
                CreatedAt = now,
            });
            user.LastOrganizationId = invitation.OrganizationId;
            var member = Caller.ForMember(invitation.OrganizationId, invitation.Role, userId, client);
            await audit.AppendAsync(member, AuditActions.InvitationAccepted, apiKeyId: null, livemode: true,
                new ChangeSet().Note("invitation_id", invitation.Id).Note("email", invitation.Email), ct);
            await audit.AppendAsync(member, AuditActions.MemberAdded, apiKeyId: null, livemode: true,
                new ChangeSet()
                    .Note("user_id", userId)
                    .Note("email", user.Email)
                    .Track("role", (string?)null, invitation.Role.Name())
                    .Note("invitation_id", invitation.Id), ct);
            await audit.SaveAsync(ct);
            var name = await db.Organizations.Where(o => o.Id == invitation.OrganizationId).Select(o => o.Name).SingleAsync(ct);
            return new Membership(invitation.OrganizationId, name, invitation.Role);
        }, ct);
    }

    private static OperationError Invalid() => OperationError.Invalid(new Dictionary<string, string[]>
    {
        ["token"] = ["This invitation link is not valid: it may have been used, revoked or replaced by a newer one."],
    }) with
    { Code = "invitation_invalid", Message = "This invitation link is not valid." };

    /// <summary>
    /// Who the caller acts as for invitations: a person with their role as stored now (a role lowered a moment ago
    /// applies), or a live key as an Admin would. Wallets and test keys may not; a role without ManageMembers may not.
    /// </summary>
    /// <summary>
    /// The role the caller manages invitations with: a person's as stored now, a key's bounded by its creator's
    /// (<see cref="OrganizationActor"/>, the one place that decides who acts with what).
    /// </summary>
    private async Task<OperationResult<OrganizationRole>> ActingRoleAsync(Caller caller, string scope, CancellationToken ct)
    {
        var actor = await OrganizationActor.ResolveAsync(db, caller, scope, write: true, ct);
        if (!actor.Succeeded)
            return actor.Error;
        if (actor.Value.Lacks(OrganizationRight.ManageMembers, "manage members or invitations") is { } refused)
            return refused;
        if (!caller.Scopes.Allows(scope))
            return OperationError.InsufficientScope(scope);
        return actor.Value.Effective;
    }

    /// <summary>
    /// Invitation mail goes to addresses the sender chooses, so it is budgeted per recipient across every organization
    /// (revoking and inviting again, or a hundred organizations inviting one address, cannot flood a mailbox) and per
    /// sender (one account cannot fill the mail outbox that password resets and security notices share).
    /// </summary>
    private OperationError? MailBudgetRefusal(string normalizedEmail, string senderId)
    {
        if (!throttle.Acquire("invitation-sender:" + senderId, MailsPerSenderPerHour, TimeSpan.FromHours(1)).Allowed)
            return OperationError.Conflict("too_many_invitation_mails",
                $"You have sent {MailsPerSenderPerHour} invitations in the last hour; try again later.");
        var recipient = "invitation-recipient:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(normalizedEmail)));
        return throttle.Acquire(recipient, MailsPerRecipientPerHour, TimeSpan.FromHours(1)).Allowed
            ? null
            : OperationError.Conflict("too_many_invitation_mails",
                $"This address has been sent {MailsPerRecipientPerHour} invitations in the last hour; try again later.");
    }

    public const int MailsPerSenderPerHour = 50;
    public const int MailsPerRecipientPerHour = 3;

    /// <summary>Inviting (or resending, revoking) an Owner's invitation is managing Owners.</summary>
    private static OperationError? MayNotInvite(OrganizationRole acting, OrganizationRole invited) =>
        invited == OrganizationRole.Owner && !acting.Grants(OrganizationRight.ManageOwners)
            ? OperationError.MissingRight(OrganizationRight.ManageOwners.Name(), "Only an Owner can invite an Owner.")
            : null;

    private async Task MailAsync(CreatedInvitation created, CancellationToken ct)
    {
        var invitation = created.Invitation;
        var organization = await db.Organizations.Where(o => o.Id == invitation.OrganizationId).Select(o => o.Name).SingleAsync(ct);
        var inviters = await EmailsOfAsync([invitation.InvitedBy], ct);
        mailer.Send(new InvitationMail(invitation.Email, organization, inviters.GetValueOrDefault(invitation.InvitedBy),
            invitation.Role, created.Token, invitation.ExpiresAt));
    }

    /// <summary>The email of the person <paramref name="actorId"/>; null for a key.</summary>
    public async Task<string?> EmailOfAsync(string actorId, CancellationToken ct = default) =>
        (await EmailsOfAsync([actorId], ct)).GetValueOrDefault(actorId);

    /// <summary>The emails of the people among <paramref name="actorIds"/> (keys have none).</summary>
    private async Task<Dictionary<string, string?>> EmailsOfAsync(IEnumerable<string> actorIds, CancellationToken ct)
    {
        var userIds = actorIds.Where(id => id.StartsWith(EntityId.UserPrefix + "_", StringComparison.Ordinal)).Distinct().ToList();
        if (userIds.Count == 0)
            return [];
        return await db.Users.Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, ct);
    }

    private IQueryable<Invitation> Visible(Caller caller) => db.Invitations.Where(i => i.OrganizationId == caller.OrganizationId);

    private IQueryable<Invitation> Pending(string organizationId, DateTimeOffset now) =>
        db.Invitations.Where(i => i.OrganizationId == organizationId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now);

    private Task<Invitation?> FindVisibleAsync(Caller caller, string id, CancellationToken ct) =>
        EntityId.HasShape(id, EntityId.InvitationPrefix)
            ? Visible(caller).SingleOrDefaultAsync(i => i.Id == id, ct)
            : Task.FromResult<Invitation?>(null);

    /// <summary>
    /// Untracked unless <paramref name="track"/>: a tracked first read would be handed back unchanged by the read
    /// inside the chain write, hiding a revoke that committed in between.
    /// </summary>
    private Task<Invitation?> FindByTokenAsync(string? token, CancellationToken ct, bool track = false) =>
        InvitationToken.HashOfCandidate(token) is { } hash
            ? (track ? db.Invitations : db.Invitations.AsNoTracking()).SingleOrDefaultAsync(i => i.TokenHash == hash, ct)
            : Task.FromResult<Invitation?>(null);

    private static string? ValidateEmail(ValidationErrors errors, string? email)
    {
        var trimmed = email?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            errors.Add("email", "email is required.");
        else if (EmailRules.IsTooLong(trimmed))
            errors.Add("email", $"email must be at most {EmailRules.MaxLength} characters.");
        else if (!EmailRules.IsWellFormed(trimmed))
            errors.Add("email", "email must be an email address such as ada@example.com.");
        else
            return trimmed;
        return null;
    }

    private static string Normalize(string email) => EmailRules.Normalizer.NormalizeEmail(email.Trim()) ?? "";

    /// <summary>A write to <paramref name="organizationId"/>'s chain (<see cref="AuditedWrites"/>), retried also when a racing write took the member row or token.</summary>
    private Task<OperationResult<T>> AuditedAsync<T>(string organizationId, Func<Task<OperationResult<T>>> operation, CancellationToken ct) =>
        AuditedWrites.RunAsync(db, audit, organizationId, operation, ct, IsLostRace);

    /// <summary>Another write to the chain committed first, or took the same member row or token.</summary>
    private bool IsLostRace(DbUpdateException ex) =>
        ex is DbUpdateConcurrencyException || audit.IsChainConflict(ex)
        || UniqueViolation.On<OrganizationMember>(db, ex) || UniqueViolation.On<Invitation>(db, ex);
}
