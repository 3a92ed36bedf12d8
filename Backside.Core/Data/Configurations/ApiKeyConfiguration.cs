using Backside.Core.ApiKeys;
using Backside.Core.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Backside.Core.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).HasMaxLength(EntityIdLength.Max);
        builder.Property(k => k.OrganizationId).HasMaxLength(EntityIdLength.Max);
        builder.Property(k => k.Name).HasMaxLength(ApiKey.MaxNameLength);
        builder.Property(k => k.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(k => k.CreatedBy).HasMaxLength(EntityIdLength.Max);
        builder.Property(k => k.LastUsedIp).HasMaxLength(45);
        builder.Property(k => k.Hint).HasMaxLength(32);
        builder.Property(k => k.SecretHash).HasMaxLength(32).IsFixedLength();
        builder.Property(k => k.PreviousSecretHash).HasMaxLength(32).IsFixedLength();
        builder.Property(k => k.Version).IsConcurrencyToken();
        // Worked out from the memberships when a key is answered; never a column.
        builder.Ignore(k => k.CreatedByFormerMember);

        // The hot path's lookup; unique, so a (vanishingly unlikely) duplicate secret can never authenticate as two keys.
        builder.HasIndex(k => k.SecretHash).IsUnique();
        // An old secret inside its rotation grace window is looked up too.
        builder.HasIndex(k => k.PreviousSecretHash).IsUnique();
        // Listing an organization's keys newest first, and the grid's other sort orders, without sorting 100k rows.
        builder.HasIndex(k => new { k.OrganizationId, k.Id });
        builder.HasIndex(k => new { k.OrganizationId, k.Name });
        builder.HasIndex(k => new { k.OrganizationId, k.LastUsedAt });

        builder.HasOne<Organization>().WithMany().HasForeignKey(k => k.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
