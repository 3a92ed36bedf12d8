namespace Backside.Core.Common;

/// <summary>One page of a list in id order (newest first), Stripe style: <c>{data, has_more}</c>.</summary>
public sealed record CursorPage<T>(IReadOnlyList<T> Data, bool HasMore);
