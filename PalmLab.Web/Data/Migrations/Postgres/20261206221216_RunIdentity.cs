using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalmLab.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RunIdentity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "Uid",
                table: "Runs",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            // Every existing run gets an identity of its own before the column must be unique. Its folder is adopted at
            // the next start (OrphanFolders).
            migrationBuilder.Sql("""UPDATE "Runs" SET "Uid" = gen_random_uuid();""");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_Uid",
                table: "Runs",
                column: "Uid",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Runs_Uid",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "Uid",
                table: "Runs");
        }
    }
}
