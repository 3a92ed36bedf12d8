namespace Backside.Core.Payments;

public sealed record PaymentTotals(long Payments, long Amount, long Wallets);
