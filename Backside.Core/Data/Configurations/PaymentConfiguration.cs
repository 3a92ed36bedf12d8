using Backside.Core.Organizations;
using Backside.Core.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Backside.Core.Data.Configurations;

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> builder)
    {
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).HasMaxLength(EntityIdLength.Max);
        builder.Property(p => p.OrganizationId).HasMaxLength(EntityIdLength.Max);
        builder.Property(p => p.Payer).HasMaxLength(42);
        builder.Property(p => p.Network).HasMaxLength(32);
        builder.Property(p => p.Method).HasMaxLength(16);
        builder.Property(p => p.Route).HasMaxLength(300);
        builder.Property(p => p.Nonce).HasMaxLength(64);
        builder.Property(p => p.TransactionHash).HasMaxLength(100);
        builder.HasIndex(p => new { p.OrganizationId, p.Id });
        builder.HasIndex(p => p.Payer);
        builder.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
