using Backside.Core.ApiKeys;
using Backside.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Backside.Core.Data.Configurations;

internal sealed class UsageBucketConfiguration : IEntityTypeConfiguration<UsageBucket>
{
    public void Configure(EntityTypeBuilder<UsageBucket> builder)
    {
        builder.HasKey(b => new { b.ApiKeyId, b.HourStart });
        builder.Property(b => b.ApiKeyId).HasMaxLength(EntityIdLength.Max);
        builder.Property(b => b.OrganizationId).HasMaxLength(EntityIdLength.Max);
        builder.HasIndex(b => new { b.OrganizationId, b.HourStart });
        builder.HasOne<ApiKey>().WithMany().HasForeignKey(b => b.ApiKeyId).OnDelete(DeleteBehavior.Cascade);
    }
}
