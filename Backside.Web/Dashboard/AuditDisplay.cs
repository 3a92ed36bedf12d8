using System.Text.Json;
using Backside.Core.Audit;

namespace Backside.Web.Dashboard;

/// <summary>
/// Turns an audit event into short lines a person can read: labels instead of field names, "full access" for a key
/// without scopes, names instead of person ids, and for a creation only the values it was created with.
/// </summary>
public static class AuditDisplay
{
    /// <summary>Actions that bring something into being: their "before" is nothing, so only the "after" is shown.</summary>
    private static readonly HashSet<string> Creations = new(StringComparer.Ordinal)
    {
        AuditActions.ApiKeyCreated, AuditActions.OrganizationCreated, AuditActions.InvitationCreated,
        AuditActions.MemberAdded, AuditActions.InvitationAccepted,
    };

    public static IReadOnlyList<string> Describe(AuditLogEntry entry)
    {
        using var document = JsonDocument.Parse(entry.Event.Changes);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            return [];
        var creation = Creations.Contains(entry.Event.Action);
        var lines = new List<string>();
        foreach (var change in document.RootElement.EnumerateObject())
        {
            if (Line(change, creation, entry.Names) is { } line)
                lines.Add(line);
        }
        return lines;
    }

    public static string Action(string action) => action switch
    {
        AuditActions.ApiKeyCreated => "Key created",
        AuditActions.ApiKeyUpdated => "Key updated",
        AuditActions.ApiKeyRotated => "Key rotated",
        AuditActions.ApiKeyDeactivated => "Key deactivated",
        AuditActions.ApiKeyActivated => "Key activated",
        AuditActions.ApiKeyRevoked => "Key revoked",
        AuditActions.OrganizationCreated => "Organization created",
        AuditActions.OrganizationUpdated => "Organization updated",
        AuditActions.OrganizationPlanChanged => "Plan changed",
        AuditActions.OrganizationDeleted => "Organization deleted",
        AuditActions.OwnershipTransferred => "Ownership transferred",
        AuditActions.MemberAdded => "Member added",
        AuditActions.MemberRoleChanged => "Member's role changed",
        AuditActions.MemberRemoved => "Member removed",
        AuditActions.MemberLeft => "Member left",
        AuditActions.InvitationCreated => "Invitation sent",
        AuditActions.InvitationResent => "Invitation resent",
        AuditActions.InvitationRevoked => "Invitation revoked",
        AuditActions.InvitationAccepted => "Invitation accepted",
        AuditActions.SignedIn => "Signed in",
        AuditActions.SignInFailed => "Sign-in failed",
        AuditActions.TwoFactorEnabled => "Two-factor turned on",
        AuditActions.TwoFactorDisabled => "Two-factor turned off",
        AuditActions.AuthenticatorReset => "Authenticator key reset",
        AuditActions.RecoveryCodesGenerated => "Recovery codes generated",
        AuditActions.PasswordChanged => "Password changed",
        AuditActions.PasswordReset => "Password reset",
        _ => action,
    };

    /// <summary>Who acted, with what kind of actor it is: "ada@example.com", "API key Deploy (bsk_live_…abcd)", "Wallet 0x…".</summary>
    public static string Actor(AuditName actor) => actor.Kind switch
    {
        AuditNameKind.ApiKey or AuditNameKind.UnknownApiKey => $"API key {actor.Text}",
        AuditNameKind.Wallet => $"Wallet {actor.Text}",
        _ => actor.Text,
    };

    private static string? Line(JsonProperty change, bool creation, AuditNames names)
    {
        var label = Label(change.Name);
        if (change.Value.ValueKind == JsonValueKind.Object && change.Value.TryGetProperty("after", out var after)
            && change.Value.TryGetProperty("before", out var before))
        {
            return creation
                ? $"{label}: {Value(change.Name, after, names)}"
                : $"{label}: {Value(change.Name, before, names)} → {Value(change.Name, after, names)}";
        }
        if (change.Name == "locked_out")
            return change.Value.ValueKind == JsonValueKind.True ? "The account is now locked out" : null;
        return $"{label}: {Value(change.Name, change.Value, names)}";
    }

    private static string Label(string field) => field switch
    {
        "scopes" => "Permissions",
        "rate_limit_per_minute" => "Rate limit per minute",
        "allowed_ips" => "Allowed IPs",
        "hint" => "Key",
        "user_id" => "Member",
        "from_user_id" => "From",
        "to_user_id" => "To",
        "via" => "Through",
        "" => field,
        _ => char.ToUpperInvariant(field[0]) + field[1..].Replace('_', ' '),
    };

    private static string Value(string field, JsonElement value, AuditNames names)
    {
        if (AuditLog.PersonFields.Contains(field) && value.ValueKind == JsonValueKind.String)
            return names.Of(value.GetString()!).Text;
        return (field, value.ValueKind) switch
        {
            ("scopes", JsonValueKind.Null) => "full access",
            ("allowed_ips" or "allowed_referrers", JsonValueKind.Array) when value.GetArrayLength() == 0 => "any",
            ("expires_at", JsonValueKind.Null) => "never",
            ("rate_limit_per_minute", JsonValueKind.Null) => "the plan's default",
            ("reason" or "method" or "via", JsonValueKind.String) => value.GetString()!.Replace('_', ' '),
            (_, JsonValueKind.Null) => "none",
            (_, JsonValueKind.True) => "yes",
            (_, JsonValueKind.False) => "no",
            (_, JsonValueKind.String) => value.GetString()!,
            (_, JsonValueKind.Array) => value.GetArrayLength() == 0 ? "none" : string.Join(", ", value.EnumerateArray().Select(v => Value("", v, names))),
            _ => value.GetRawText(),
        };
    }
}
