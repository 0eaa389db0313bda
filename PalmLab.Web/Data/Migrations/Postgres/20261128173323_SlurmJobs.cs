using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalmLab.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SlurmJobs : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Executor",
                table: "Runs",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "local");

            migrationBuilder.AddColumn<string>(
                name: "JobId",
                table: "Runs",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "JobReportSeq",
                table: "Runs",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "JobState",
                table: "Runs",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "JobTokenHash",
                table: "Runs",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Slurm_Cpus",
                table: "Runs",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Slurm_Gpus",
                table: "Runs",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Slurm_Memory",
                table: "Runs",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Slurm_Partition",
                table: "Runs",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Slurm_TimeLimit",
                table: "Runs",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Executor",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "JobId",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "JobReportSeq",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "JobState",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "JobTokenHash",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Slurm_Cpus",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Slurm_Gpus",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Slurm_Memory",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Slurm_Partition",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Slurm_TimeLimit",
                table: "Runs");
        }
    }
}
