using PalmLab.Engine.Training;

namespace PalmLab.Engine.Jobs;

/// <summary>
/// One numbered report of a job to the dashboard (<c>POST /api/jobs/{run}/reports</c>). Reports are sent in order, and
/// the dashboard applies each number once: a report sent again after a lost answer is acknowledged and not applied
/// twice. Exactly one of the parts is set.
/// </summary>
public sealed record JobReport(long Seq, JobStart? Start = null, IReadOnlyList<JobBatch>? Batches = null, JobEpoch? Epoch = null, JobEnd? End = null);

/// <summary>The job began training, on this device and node.</summary>
public sealed record JobStart(string Device, string? Node);

/// <summary>One optimizer step; <see cref="Step"/> counts from the start of its fold, as the trainer does.</summary>
public sealed record JobBatch(int? Fold, long Step, int Epoch, double Loss, double LearningRate);

/// <summary>An epoch's end, after its checkpoints were written (or uploaded).</summary>
public sealed record JobEpoch(int? Fold, int? Folds, EpochResult Result);

/// <summary>The job's end: "Completed", or "Failed" with the reason.</summary>
public sealed record JobEnd(string Status, string? Error);

/// <summary>The dashboard's answer: every report up to <see cref="AcceptedThrough"/> is recorded.</summary>
public sealed record JobReportAnswer(long AcceptedThrough);

/// <summary>The body of <c>POST /api/jobs/{run}/reports</c>: reports in order.</summary>
public sealed record JobReports(IReadOnlyList<JobReport> Reports);
