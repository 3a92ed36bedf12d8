using Backside.Core.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Backside.Core.Data.Configurations;

internal sealed class PaymentNonceConfiguration : IEntityTypeConfiguration<PaymentNonce>
{
    public void Configure(EntityTypeBuilder<PaymentNonce> builder)
    {
        // The primary key is the unique index that makes a reservation atomic across instances.
        builder.HasKey(n => n.Key);
        builder.Property(n => n.Key).HasMaxLength(200);
        builder.HasIndex(n => n.ExpiresAt);
    }
}
