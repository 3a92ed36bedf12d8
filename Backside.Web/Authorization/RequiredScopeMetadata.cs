
namespace Backside.Web.Authorization;

/// <summary>The scope an endpoint requires, for usage tracking to read without parsing policy names per request.</summary>
public sealed record RequiredScopeMetadata(string Scope);
