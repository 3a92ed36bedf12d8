using Backside.Core.ApiKeys;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Usage;

public sealed record UsagePoint(DateTimeOffset Start, UsageCounts Counts);
