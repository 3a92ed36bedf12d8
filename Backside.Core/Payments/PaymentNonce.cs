namespace Backside.Core.Payments;

/// <summary>An accepted authorization, kept so it is accepted once: the replay store's row.</summary>
public sealed class PaymentNonce
{
    /// <summary><c>chainId:asset:from:nonce</c>, lower-case.</summary>
    public required string Key { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
}
