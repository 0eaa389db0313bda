using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalmLab.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CrossValidatedRuns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_EpochMetrics_RunId_Epoch",
                table: "EpochMetrics");

            migrationBuilder.DropIndex(
                name: "IX_Checkpoints_RunId_Kind",
                table: "Checkpoints");

            migrationBuilder.AddColumn<int>(
                name: "Fold",
                table: "EpochMetrics",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Fold",
                table: "Checkpoints",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Fold",
                table: "BatchLosses",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_EpochMetrics_RunId_Fold_Epoch",
                table: "EpochMetrics",
                columns: new[] { "RunId", "Fold", "Epoch" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Checkpoints_RunId_Fold_Kind",
                table: "Checkpoints",
                columns: new[] { "RunId", "Fold", "Kind" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_EpochMetrics_RunId_Fold_Epoch",
                table: "EpochMetrics");

            migrationBuilder.DropIndex(
                name: "IX_Checkpoints_RunId_Fold_Kind",
                table: "Checkpoints");

            migrationBuilder.DropColumn(
                name: "Fold",
                table: "EpochMetrics");

            migrationBuilder.DropColumn(
                name: "Fold",
                table: "Checkpoints");

            migrationBuilder.DropColumn(
                name: "Fold",
                table: "BatchLosses");

            migrationBuilder.CreateIndex(
                name: "IX_EpochMetrics_RunId_Epoch",
                table: "EpochMetrics",
                columns: new[] { "RunId", "Epoch" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Checkpoints_RunId_Kind",
                table: "Checkpoints",
                columns: new[] { "RunId", "Kind" },
                unique: true);
        }
    }
}
