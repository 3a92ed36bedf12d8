using Backside.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Backside.Core.Data.Configurations;

internal sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> builder)
    {
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasMaxLength(EntityIdLength.Max);
        builder.Property(t => t.FamilyId).HasMaxLength(EntityIdLength.Max);
        builder.Property(t => t.OrganizationId).HasMaxLength(EntityIdLength.Max);
        builder.Property(t => t.SecurityStamp).HasMaxLength(256);
        builder.Property(t => t.TokenHash).HasMaxLength(32).IsFixedLength();
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => t.FamilyId);
        builder.HasIndex(t => t.UserId);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
