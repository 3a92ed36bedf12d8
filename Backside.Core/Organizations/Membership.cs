using Backside.Core.Audit;
using Backside.Core.Common;
using Backside.Core.Data;
using Backside.Core.Identity;
using Microsoft.EntityFrameworkCore;

namespace Backside.Core.Organizations;

public sealed record Membership(string OrganizationId, string OrganizationName, OrganizationRole Role);
