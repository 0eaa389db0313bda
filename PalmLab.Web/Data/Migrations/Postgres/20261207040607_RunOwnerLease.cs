using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalmLab.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RunOwnerLease : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Runs claimed before owners existed have none and no lease: one still Running is taken as lost at the next
            // start of any dashboard, as every local Running run was before.
            migrationBuilder.AddColumn<long>(
                name: "LeaseUntil",
                table: "Runs",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "Runs",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LeaseUntil",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "Runs");
        }
    }
}
