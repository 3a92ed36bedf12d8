using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Backside.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class RefreshTokenFamilies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "FamilyStartedAt",
                table: "RefreshTokens",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "OrganizationId",
                table: "RefreshTokens",
                type: "TEXT",
                maxLength: 40,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "FamilyStartedAt",
                table: "RefreshTokens");

            migrationBuilder.DropColumn(
                name: "OrganizationId",
                table: "RefreshTokens");
        }
    }
}
