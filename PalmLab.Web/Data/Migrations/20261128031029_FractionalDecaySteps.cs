using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PalmLab.Web.Data.Migrations
{
    /// <summary>
    /// The training options became one record (an EF Core complex property whose columns keep their names); only the
    /// decay steps changed, to a real number, so the reference course's 102.5 steps can be stored. SQLite rebuilds the
    /// table and copies every row. Older rows' tags lose the spaces around their commas.
    /// </summary>
    public partial class FractionalDecaySteps : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<double>(
                name: "DecaySteps",
                table: "Runs",
                type: "REAL",
                nullable: true,
                oldClrType: typeof(int),
                oldType: "INTEGER",
                oldNullable: true);

            // Tags are now stored trimmed ("a,b"), and the tag filter matches whole tags: trim the spaces of older rows.
            migrationBuilder.Sql("""
                UPDATE Runs SET Tags = NULLIF(TRIM(REPLACE(REPLACE(REPLACE(REPLACE(Tags, ' ,', ','), ', ', ','), ' ,', ','), ', ', ','), ' ,'), '')
                WHERE Tags IS NOT NULL
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<int>(
                name: "DecaySteps",
                table: "Runs",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(double),
                oldType: "REAL",
                oldNullable: true);
        }
    }
}
