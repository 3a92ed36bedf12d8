using Backside.Core.Audit;
using Backside.Core.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Backside.Core.Data.Configurations;

internal sealed class AuditChainHeadConfiguration : IEntityTypeConfiguration<AuditChainHead>
{
    public void Configure(EntityTypeBuilder<AuditChainHead> builder)
    {
        builder.HasKey(h => h.OrganizationId);
        builder.Property(h => h.OrganizationId).HasMaxLength(EntityIdLength.Max);
        builder.Property(h => h.Sequence).IsConcurrencyToken();
        builder.Property(h => h.Hash).HasMaxLength(32).IsFixedLength();
        builder.Property(h => h.Seal).HasMaxLength(32).IsFixedLength();
        builder.HasOne<Organization>().WithOne().HasForeignKey<AuditChainHead>(h => h.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
