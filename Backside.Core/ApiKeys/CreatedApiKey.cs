namespace Backside.Core.ApiKeys;

/// <summary>The new key and its raw secret. The secret exists only in this object: show it once, then drop it.</summary>
public sealed record CreatedApiKey(ApiKey Key, string Secret);
