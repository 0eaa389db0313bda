using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalmLab.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Sweeps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "StopMinCompletedTrials",
                table: "Sweeps",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "StopMinEpochs",
                table: "Sweeps",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "StopMinCompletedTrials",
                table: "Sweeps");

            migrationBuilder.DropColumn(
                name: "StopMinEpochs",
                table: "Sweeps");
        }
    }
}
