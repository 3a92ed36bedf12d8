using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Backside.Core.Data.Migrations
{
    /// <inheritdoc />
    public partial class X402Payments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "WalletAddress",
                table: "Organizations",
                type: "TEXT",
                maxLength: 42,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "PaymentNonces",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PaymentNonces", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "Payments",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    OrganizationId = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Payer = table.Column<string>(type: "TEXT", maxLength: 42, nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    Network = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    X402Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Route = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Nonce = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TransactionHash = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Payments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Payments_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Organizations_WalletAddress",
                table: "Organizations",
                column: "WalletAddress",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PaymentNonces_ExpiresAt",
                table: "PaymentNonces",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_Payments_OrganizationId_Id",
                table: "Payments",
                columns: new[] { "OrganizationId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Payments_Payer",
                table: "Payments",
                column: "Payer");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PaymentNonces");

            migrationBuilder.DropTable(
                name: "Payments");

            migrationBuilder.DropIndex(
                name: "IX_Organizations_WalletAddress",
                table: "Organizations");

            migrationBuilder.DropColumn(
                name: "WalletAddress",
                table: "Organizations");
        }
    }
}
