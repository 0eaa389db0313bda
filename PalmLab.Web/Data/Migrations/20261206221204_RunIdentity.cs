using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalmLab.Web.Data.Migrations
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
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            // Every existing run gets an identity of its own (a random version-4 GUID, as EF writes them on SQLite:
            // upper-case text) before the column must be unique. Its folder is adopted at the next start (OrphanFolders).
            migrationBuilder.Sql("""
                UPDATE "Runs" SET "Uid" = hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
                    || substr('89AB', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6));
                """);

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
