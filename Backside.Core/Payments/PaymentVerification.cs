namespace Backside.Core.Payments;

public sealed record PaymentVerification(VerifiedPayment? Payment, string? Reason)
{
    public bool IsValid => Payment is not null;
    public static PaymentVerification Refused(string reason) => new(null, reason);
}
