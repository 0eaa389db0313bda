using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalmLab.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class BatchLossEpochEndsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_BatchLosses_RunId_Fold_Epoch_Step",
                table: "BatchLosses",
                columns: new[] { "RunId", "Fold", "Epoch", "Step" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_BatchLosses_RunId_Fold_Epoch_Step",
                table: "BatchLosses");
        }
    }
}
