using Backside.Core.Audit;
using Backside.Core.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Backside.Core.Data.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasMaxLength(EntityIdLength.Max);
        builder.Property(e => e.OrganizationId).HasMaxLength(EntityIdLength.Max);
        builder.Property(e => e.Action).HasMaxLength(64);
        builder.Property(e => e.ActorType).HasMaxLength(16);
        builder.Property(e => e.ActorId).HasMaxLength(EntityIdLength.Max);
        builder.Property(e => e.ApiKeyId).HasMaxLength(EntityIdLength.Max);
        builder.Property(e => e.IpAddress).HasMaxLength(45);
        builder.Property(e => e.UserAgent).HasMaxLength(512);
        builder.Property(e => e.PreviousHash).HasMaxLength(32).IsFixedLength();
        builder.Property(e => e.Hash).HasMaxLength(32).IsFixedLength();

        builder.HasIndex(e => new { e.OrganizationId, e.Sequence }).IsUnique();
        builder.HasIndex(e => new { e.OrganizationId, e.Id });
        builder.HasIndex(e => new { e.ApiKeyId, e.Id });
        builder.HasOne<Organization>().WithMany().HasForeignKey(e => e.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
