using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalmLab.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class TrainingPrecision : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Every run before this option trained in fp32 (the option's default).
            migrationBuilder.AddColumn<string>(
                name: "Precision",
                table: "Runs",
                type: "TEXT",
                maxLength: 10,
                nullable: false,
                defaultValue: "Fp32");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Precision",
                table: "Runs");
        }
    }
}
