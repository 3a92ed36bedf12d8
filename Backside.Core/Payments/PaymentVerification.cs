using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backside.Core.Payments.Evm;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Backside.Core.Payments;

public sealed record PaymentVerification(VerifiedPayment? Payment, string? Reason)
{
    public bool IsValid => Payment is not null;
    public static PaymentVerification Refused(string reason) => new(null, reason);
}
