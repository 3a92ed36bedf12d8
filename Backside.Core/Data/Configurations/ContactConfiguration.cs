using Backside.Core.Contacts;
using Backside.Core.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Backside.Core.Data.Configurations;

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).HasMaxLength(EntityIdLength.Max);
        builder.Property(c => c.OrganizationId).HasMaxLength(EntityIdLength.Max);
        builder.Property(c => c.Name).HasMaxLength(Contact.MaxNameLength);
        builder.Property(c => c.Email).HasMaxLength(Contact.MaxEmailLength);
        builder.Property(c => c.Phone).HasMaxLength(Contact.MaxPhoneLength);
        builder.Property(c => c.Company).HasMaxLength(Contact.MaxCompanyLength);
        builder.HasIndex(c => new { c.OrganizationId, c.Livemode, c.Id });
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
