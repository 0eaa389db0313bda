using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalmLab.Web.Data.Migrations
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
                type: "TEXT",
                maxLength: 10,
                nullable: false,
                defaultValue: "local");

            migrationBuilder.AddColumn<string>(
                name: "JobId",
                table: "Runs",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "JobReportSeq",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "JobState",
                table: "Runs",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "JobTokenHash",
                table: "Runs",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Slurm_Cpus",
                table: "Runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Slurm_Gpus",
                table: "Runs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Slurm_Memory",
                table: "Runs",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Slurm_Partition",
                table: "Runs",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Slurm_TimeLimit",
                table: "Runs",
                type: "TEXT",
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
