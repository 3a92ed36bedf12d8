namespace Backside.Core.Audit;

/// <summary>An id of the audit log as a person reads it: an email, a key's name with its hint, a wallet's address.</summary>
public sealed record AuditName(string Id, AuditNameKind Kind, string? Label = null, string? Hint = null)
{
    /// <summary>The readable name: <c>ada@example.com</c>, <c>Deploy (bsk_live_a1B2…abcd)</c>, <c>Deleted account</c>.</summary>
    public string Text => Kind switch
    {
        AuditNameKind.Person => Label ?? Id,
        AuditNameKind.FormerMember => "Former member",
        AuditNameKind.DeletedAccount => "Deleted account",
        AuditNameKind.ApiKey => Hint is null ? Label ?? Id : $"{Label} ({Hint})",
        AuditNameKind.UnknownApiKey => "Unknown key",
        _ => Id,
    };

    public bool IsKey => Kind is AuditNameKind.ApiKey or AuditNameKind.UnknownApiKey;
}
