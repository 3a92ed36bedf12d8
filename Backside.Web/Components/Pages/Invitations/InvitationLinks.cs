namespace Backside.Web.Components.Pages.Invitations;

/// <summary>
/// The accept page's address, and the invitation token in a return URL that leads to it: the register page reads it
/// from there, so registering through an invitation link can confirm the invited address.
/// </summary>
public static class InvitationLinks
{
    public const string AcceptPagePath = "invitations/accept";

    /// <summary>Relative, without a leading slash: <c>invitations/accept?token=…</c>.</summary>
    public static string AcceptPath(string? token) => $"{AcceptPagePath}?token={Uri.EscapeDataString(token ?? "")}";

    /// <summary>The token of a return URL that is the accept page (<c>/invitations/accept?token=…</c>); null for any other.</summary>
    public static string? TokenOf(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 512)
            return null;
        var relative = returnUrl.TrimStart('~').TrimStart('/');
        var query = relative.IndexOf('?');
        if (query < 0 || !string.Equals(relative[..query], AcceptPagePath, StringComparison.OrdinalIgnoreCase))
            return null;
        var values = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(relative[query..]);
        return values.TryGetValue("token", out var token) && token.Count == 1 ? token[0] : null;
    }
}
