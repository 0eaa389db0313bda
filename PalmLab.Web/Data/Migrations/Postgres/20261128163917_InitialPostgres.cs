using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PalmLab.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InitialPostgres : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DataSets",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Path = table.Column<string>(type: "text", nullable: false),
                    TrainDir = table.Column<string>(type: "text", nullable: false),
                    ValidDir = table.Column<string>(type: "text", nullable: true),
                    LabelsPath = table.Column<string>(type: "text", nullable: true),
                    TrainImages = table.Column<int>(type: "integer", nullable: false),
                    ValidationImages = table.Column<int>(type: "integer", nullable: false),
                    ContentHash = table.Column<string>(type: "text", nullable: true),
                    ReportJson = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DataSets", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Sweeps",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    DataSetId = table.Column<int>(type: "integer", nullable: false),
                    BaseOptions = table.Column<string>(type: "text", nullable: false),
                    SpaceJson = table.Column<string>(type: "text", nullable: false),
                    Strategy = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Seed = table.Column<int>(type: "integer", nullable: false),
                    TrialCount = table.Column<int>(type: "integer", nullable: false),
                    Metric = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Budget = table.Column<int>(type: "integer", nullable: true),
                    StopMinEpochs = table.Column<int>(type: "integer", nullable: true),
                    StopMinCompletedTrials = table.Column<int>(type: "integer", nullable: true),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    FinishedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Sweeps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Sweeps_DataSets_DataSetId",
                        column: x => x.DataSetId,
                        principalTable: "DataSets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Runs",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    DataSetId = table.Column<int>(type: "integer", nullable: false),
                    Device = table.Column<string>(type: "text", nullable: true),
                    ErrorMessage = table.Column<string>(type: "text", nullable: true),
                    Notes = table.Column<string>(type: "text", nullable: true),
                    Tags = table.Column<string>(type: "text", nullable: true),
                    ClonedFromId = table.Column<int>(type: "integer", nullable: true),
                    SweepId = table.Column<int>(type: "integer", nullable: true),
                    ResumeRequested = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    StartedAt = table.Column<long>(type: "bigint", nullable: true),
                    FinishedAt = table.Column<long>(type: "bigint", nullable: true),
                    AugmentFlip = table.Column<bool>(type: "boolean", nullable: false),
                    AugmentRotation = table.Column<double>(type: "double precision", nullable: false),
                    BatchSize = table.Column<int>(type: "integer", nullable: false),
                    DecaySteps = table.Column<double>(type: "double precision", nullable: true),
                    Depth = table.Column<int>(type: "integer", nullable: false),
                    EndLearningRate = table.Column<double>(type: "double precision", nullable: false),
                    Epochs = table.Column<int>(type: "integer", nullable: false),
                    Folds = table.Column<int>(type: "integer", nullable: true),
                    Gamma = table.Column<double>(type: "double precision", nullable: false),
                    Holdout = table.Column<double>(type: "double precision", nullable: true),
                    ImageSize = table.Column<int>(type: "integer", nullable: false),
                    LearningRate = table.Column<double>(type: "double precision", nullable: false),
                    Momentum = table.Column<double>(type: "double precision", nullable: false),
                    Power = table.Column<double>(type: "double precision", nullable: false),
                    Schedule = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Seed = table.Column<int>(type: "integer", nullable: false),
                    StepSize = table.Column<int>(type: "integer", nullable: true),
                    Threshold = table.Column<double>(type: "double precision", nullable: false),
                    WarmupSteps = table.Column<int>(type: "integer", nullable: false),
                    WeightDecay = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Runs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Runs_DataSets_DataSetId",
                        column: x => x.DataSetId,
                        principalTable: "DataSets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Runs_Runs_ClonedFromId",
                        column: x => x.ClonedFromId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_Runs_Sweeps_SweepId",
                        column: x => x.SweepId,
                        principalTable: "Sweeps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "BatchLosses",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<int>(type: "integer", nullable: false),
                    Step = table.Column<long>(type: "bigint", nullable: false),
                    Epoch = table.Column<int>(type: "integer", nullable: false),
                    Fold = table.Column<int>(type: "integer", nullable: true),
                    Loss = table.Column<double>(type: "double precision", nullable: false),
                    LearningRate = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BatchLosses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BatchLosses_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Checkpoints",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<int>(type: "integer", nullable: false),
                    Fold = table.Column<int>(type: "integer", nullable: true),
                    Epoch = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    Path = table.Column<string>(type: "text", nullable: false),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Checkpoints", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Checkpoints_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "EpochMetrics",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<int>(type: "integer", nullable: false),
                    Fold = table.Column<int>(type: "integer", nullable: true),
                    Epoch = table.Column<int>(type: "integer", nullable: false),
                    TrainLoss = table.Column<double>(type: "double precision", nullable: false),
                    ValidationLoss = table.Column<double>(type: "double precision", nullable: true),
                    Accuracy = table.Column<double>(type: "double precision", nullable: true),
                    Auc = table.Column<double>(type: "double precision", nullable: true),
                    Sensitivity = table.Column<double>(type: "double precision", nullable: true),
                    Specificity = table.Column<double>(type: "double precision", nullable: true),
                    Precision = table.Column<double>(type: "double precision", nullable: true),
                    F1 = table.Column<double>(type: "double precision", nullable: true),
                    TrueNegatives = table.Column<int>(type: "integer", nullable: true),
                    FalsePositives = table.Column<int>(type: "integer", nullable: true),
                    FalseNegatives = table.Column<int>(type: "integer", nullable: true),
                    TruePositives = table.Column<int>(type: "integer", nullable: true),
                    RocJson = table.Column<string>(type: "text", nullable: true),
                    LearningRate = table.Column<double>(type: "double precision", nullable: false),
                    Seconds = table.Column<double>(type: "double precision", nullable: false),
                    ImagesPerSecond = table.Column<double>(type: "double precision", nullable: false),
                    IsBest = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EpochMetrics", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EpochMetrics_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SavedPresets",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Options = table.Column<string>(type: "text", nullable: false),
                    FromSweepId = table.Column<int>(type: "integer", nullable: true),
                    FromRunId = table.Column<int>(type: "integer", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SavedPresets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SavedPresets_Runs_FromRunId",
                        column: x => x.FromRunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_SavedPresets_Sweeps_FromSweepId",
                        column: x => x.FromSweepId,
                        principalTable: "Sweeps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BatchLosses_RunId_Fold_Epoch_Step",
                table: "BatchLosses",
                columns: new[] { "RunId", "Fold", "Epoch", "Step" });

            migrationBuilder.CreateIndex(
                name: "IX_BatchLosses_RunId_Step",
                table: "BatchLosses",
                columns: new[] { "RunId", "Step" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Checkpoints_RunId_Fold_Kind",
                table: "Checkpoints",
                columns: new[] { "RunId", "Fold", "Kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DataSets_Name",
                table: "DataSets",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_EpochMetrics_RunId_Epoch_Auc_Accuracy",
                table: "EpochMetrics",
                columns: new[] { "RunId", "Epoch", "Auc", "Accuracy" });

            migrationBuilder.CreateIndex(
                name: "IX_EpochMetrics_RunId_Fold_Epoch",
                table: "EpochMetrics",
                columns: new[] { "RunId", "Fold", "Epoch" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Runs_ClonedFromId",
                table: "Runs",
                column: "ClonedFromId");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_CreatedAt",
                table: "Runs",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_DataSetId",
                table: "Runs",
                column: "DataSetId");

            migrationBuilder.CreateIndex(
                name: "IX_Runs_Status_CreatedAt",
                table: "Runs",
                columns: new[] { "Status", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Runs_SweepId",
                table: "Runs",
                column: "SweepId");

            migrationBuilder.CreateIndex(
                name: "IX_SavedPresets_FromRunId",
                table: "SavedPresets",
                column: "FromRunId");

            migrationBuilder.CreateIndex(
                name: "IX_SavedPresets_FromSweepId",
                table: "SavedPresets",
                column: "FromSweepId");

            migrationBuilder.CreateIndex(
                name: "IX_SavedPresets_Name",
                table: "SavedPresets",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Sweeps_CreatedAt",
                table: "Sweeps",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Sweeps_DataSetId",
                table: "Sweeps",
                column: "DataSetId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BatchLosses");

            migrationBuilder.DropTable(
                name: "Checkpoints");

            migrationBuilder.DropTable(
                name: "EpochMetrics");

            migrationBuilder.DropTable(
                name: "SavedPresets");

            migrationBuilder.DropTable(
                name: "Runs");

            migrationBuilder.DropTable(
                name: "Sweeps");

            migrationBuilder.DropTable(
                name: "DataSets");
        }
    }
}
