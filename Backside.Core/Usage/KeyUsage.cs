using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Usage;

public sealed record KeyUsage(string ApiKeyId, UsageGranularity Granularity, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<UsagePoint> Points, UsageCounts Totals);
