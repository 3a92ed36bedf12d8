namespace Backside.Core.Payments;

public sealed record PaymentPage(IReadOnlyList<Payment> Items, int TotalCount);
