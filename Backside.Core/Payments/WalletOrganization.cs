using Backside.Core.Audit;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Organizations;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Payments;

/// <summary>The organization a paying wallet acts in; <see cref="Created"/> when this request made it.</summary>
public sealed record WalletOrganization(string OrganizationId, bool Created);
