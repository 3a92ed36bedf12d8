using Backside.Core.Audit;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Payments;

public sealed record PaymentTotals(long Payments, long Amount, long Wallets);
