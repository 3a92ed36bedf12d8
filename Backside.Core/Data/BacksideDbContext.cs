using Backside.Core.ApiKeys;
using Backside.Core.Audit;
using Backside.Core.Contacts;
using Backside.Core.Identity;
using Backside.Core.Organizations;
using Backside.Core.Payments;
using Backside.Core.Usage;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Backside.Core.Data;

public sealed class BacksideDbContext(DbContextOptions<BacksideDbContext> options)
    : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<OrganizationMember> OrganizationMembers => Set<OrganizationMember>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<ServerSecret> ServerSecrets => Set<ServerSecret>();
    public DbSet<UsageBucket> UsageBuckets => Set<UsageBucket>();
    public DbSet<ScopeUse> ScopeUses => Set<ScopeUse>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<PaymentNonce> PaymentNonces => Set<PaymentNonce>();

    /// <summary>The Data Protection key ring: with the data, so every instance and every restart reads the same keys.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(BacksideDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type, and EF cannot compare or order DateTimeOffset stored as text there. All our times
        // are UTC, so the binary form (ticks, then offset) orders correctly and works in WHERE and ORDER BY.
        if (Database.IsSqlite())
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        // SQLite compares text byte by byte; so does PostgreSQL's "C" collation, whatever the database's locale. Cursor
        // paging compares ids with string.Compare and sorts names, so both engines must agree on that order.
        if (Database.IsNpgsql())
            configurationBuilder.Properties<string>().UseCollation("C");
    }
}
