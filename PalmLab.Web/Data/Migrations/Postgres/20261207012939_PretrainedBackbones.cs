using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalmLab.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PretrainedBackbones : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Every run before these options trained from scratch, every layer at the run's rate (the options' defaults).
            migrationBuilder.AddColumn<string>(
                name: "Backbone",
                table: "Runs",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "scratch");

            migrationBuilder.AddColumn<double>(
                name: "BackboneLearningRate",
                table: "Runs",
                type: "double precision",
                nullable: false,
                defaultValue: 1.0);

            migrationBuilder.AddColumn<bool>(
                name: "FreezeBatchNorm",
                table: "Runs",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Backbone",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "BackboneLearningRate",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "FreezeBatchNorm",
                table: "Runs");
        }
    }
}
