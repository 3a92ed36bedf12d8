namespace Backside.Core.Contacts;

/// <summary>The fields a client sends to create or replace a contact.</summary>
public sealed record ContactInput(string? Name, string? Email = null, string? Phone = null, string? Company = null);
