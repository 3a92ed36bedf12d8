using Backside.Core.ApiKeys;
using Backside.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Backside.Core.Data.Configurations;

internal sealed class ScopeUseConfiguration : IEntityTypeConfiguration<ScopeUse>
{
    public void Configure(EntityTypeBuilder<ScopeUse> builder)
    {
        builder.HasKey(s => new { s.ApiKeyId, s.Scope });
        builder.Property(s => s.ApiKeyId).HasMaxLength(EntityIdLength.Max);
        builder.Property(s => s.Scope).HasMaxLength(64);
        builder.HasOne<ApiKey>().WithMany().HasForeignKey(s => s.ApiKeyId).OnDelete(DeleteBehavior.Cascade);
    }
}
