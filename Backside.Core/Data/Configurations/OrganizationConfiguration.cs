using Backside.Core.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Backside.Core.Data.Configurations;

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Id).HasMaxLength(EntityIdLength.Max);
        builder.Property(o => o.Name).HasMaxLength(300);
        builder.Property(o => o.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(o => o.WalletAddress).HasMaxLength(42);
        builder.HasIndex(o => o.WalletAddress).IsUnique();
        builder.Property(o => o.Plan).HasMaxLength(PlansOptions.MaxPlanNameLength).HasDefaultValue(PlanOptions.DefaultPlanName);
        builder.Property(o => o.RotationReminderDays).HasDefaultValue(Organization.DefaultRotationReminderDays);
        builder.HasMany(o => o.Members).WithOne().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
