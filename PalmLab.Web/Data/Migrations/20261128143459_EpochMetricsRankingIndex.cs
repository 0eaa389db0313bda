using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalmLab.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class EpochMetricsRankingIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_EpochMetrics_RunId_Epoch_Auc_Accuracy",
                table: "EpochMetrics",
                columns: new[] { "RunId", "Epoch", "Auc", "Accuracy" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_EpochMetrics_RunId_Epoch_Auc_Accuracy",
                table: "EpochMetrics");
        }
    }
}
