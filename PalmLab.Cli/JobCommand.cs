using System.CommandLine;
using System.Globalization;
using PalmLab.Cli.Jobs;
using PalmLab.Engine;
using PalmLab.Engine.Jobs;
using PalmLab.Engine.Runtime;
using PalmLab.Engine.Training;

namespace PalmLab.Cli;

/// <summary>
/// <c>palmlab job</c>: what a Slurm job runs on its node. Fetches the run's spec from the dashboard, trains it, and
/// reports every batch, epoch and checkpoint back, buffering while the dashboard cannot be reached.
/// </summary>
internal static class JobCommand
{
    private static readonly Option<string> Server = new("--server") { Description = "The dashboard's address, as this node reaches it.", Required = true };
    private static readonly Option<int> Run = new("--run") { Description = "The run to train.", Required = true };
    private static readonly Option<string> TokenFile = new("--token-file") { Description = "File holding the run's token.", Required = true };
    private static readonly Option<string?> Scratch = new("--scratch") { Description = "This job's own folder (unsent checkpoints; checkpoints when there is no shared folder). Default: a temporary folder." };
    private static readonly Option<int?> Threads = new("--threads") { Description = "CPU threads (0: one per core)." };
    private static readonly Option<int> WaitMinutes = new("--wait-minutes") { Description = "How long to keep trying to reach the dashboard, at the start and for the last reports.", DefaultValueFactory = _ => 60 };

    public static Command Create()
    {
        var command = new Command("job", "Train one run for the dashboard, as a Slurm job does (the dashboard writes this command into the job's script).")
        {
            Server, Run, TokenFile, Scratch, Threads, WaitMinutes,
        };
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(() => RunAsync(parsed, cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parsed, CancellationToken cancellationToken)
    {
        var runId = parsed.GetValue(Run);
        var wait = TimeSpan.FromMinutes(parsed.GetValue(WaitMinutes));
        var tokenFile = parsed.GetValue(TokenFile)!;
        if (!File.Exists(tokenFile))
        {
            throw new PalmLabException($"--token-file: {tokenFile} does not exist.");
        }
        if (!Uri.TryCreate(parsed.GetValue(Server)!.TrimEnd('/') + "/", UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
        {
            throw new PalmLabException($"--server: '{parsed.GetValue(Server)}' is not an http(s) address.");
        }
        // A fresh folder by default: pids are reused and run numbers repeat across databases, and a killed job leaves its folder.
        var scratch = Path.GetFullPath(parsed.GetValue(Scratch) ?? Directory.CreateTempSubdirectory($"palmlab-run-{runId}-").FullName);
        using var client = new JobClient(server, runId, (await File.ReadAllTextAsync(tokenFile, cancellationToken)).Trim());
        var spec = await FirstAnswerAsync(() => client.GetSpecAsync(cancellationToken), wait, cancellationToken);
        var config = spec.Config with { Threads = parsed.GetValue(Threads) ?? spec.Config.Threads, CacheDir = Path.Combine(scratch, "cache") };
        var dir = spec.CheckpointDir ?? Path.Combine(scratch, "checkpoints");
        var resumeFrom = spec.ResumeFrom;
        if (spec.DownloadResume)
        {
            resumeFrom = Path.Combine(scratch, "resume", Trainer.LastCheckpointName);
            await client.DownloadResumeAsync(config.Options.Folds is null ? null : spec.FirstFold, resumeFrom, cancellationToken);
        }

        await using var sender = new ReportSender(client, Path.Combine(scratch, "outbox"));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, sender.RunEnded);
        var device = TorchRuntime.ResolveDevice(config.Device).type.ToString().ToLowerInvariant();
        JobLog.Write($"run {runId}: training on {device} ({Environment.MachineName}); checkpoints in {dir}{(spec.CheckpointDir is null ? ", uploaded to the dashboard" : "")}");
        if (resumeFrom is not null)
        {
            JobLog.Write($"run {runId}: continues from its last checkpoint{(config.Options.Folds is null ? "" : $" in fold {spec.FirstFold}")}");
        }
        sender.Start(new JobStart(device, Environment.MachineName));
        var code = 0;
        try
        {
            await Task.Run(() => Train(spec, config, dir, resumeFrom, sender, stop.Token), stop.Token);
            sender.End(new JobEnd("Completed", null));
        }
        catch (OperationCanceledException) when (sender.RunEnded.IsCancellationRequested)
        {
            JobLog.Write($"run {runId} is over on the dashboard; the job stops");
        }
        catch (OperationCanceledException)
        {
            // Cancelled in Slurm (scancel's SIGTERM): the dashboard learns it from Slurm; send what was trained.
            JobLog.Write($"run {runId}: stopped by a signal");
            code = 130;
        }
        catch (PalmLabException e)
        {
            sender.End(new JobEnd("Failed", e.Message));
            JobLog.Write($"run {runId} failed: {e.Message}");
            code = 1;
        }
        catch (Exception e)
        {
            sender.End(new JobEnd("Failed", $"Unexpected error on {Environment.MachineName}: {e.Message}"));
            JobLog.Write($"run {runId} failed: {e}");
            code = 3;
        }
        if (!await sender.DrainAsync(code == 130 ? TimeSpan.FromSeconds(20) : wait) && !sender.RunEnded.IsCancellationRequested)
        {
            JobLog.Write($"run {runId}: {sender.Pending} report(s) could not be delivered within {wait.TotalMinutes:0} min");
            return code == 0 ? 4 : code;
        }
        // Everything is with the dashboard (or the run is over there): the scratch folder's checkpoints and cache can go.
        TryDelete(scratch);
        return code;
    }

    private static void Train(JobSpec spec, TrainingConfig config, string dir, string? resumeFrom, ReportSender sender, CancellationToken cancellationToken)
    {
        if (config.Options.Folds is not { } folds)
        {
            Trainer.Run(config, dir, Hooks(spec, dir, null, null, sender), resumeFrom, cancellationToken);
            return;
        }
        CrossValidation.RunFrom(config, dir, spec.FirstFold, resumeFrom,
            fold => Hooks(spec, CrossValidation.FoldFolder(dir, fold), fold, folds, sender), cancellationToken);
    }

    private static TrainingHooks Hooks(JobSpec spec, string folder, int? fold, int? folds, ReportSender sender) => new(
        Batch: b => sender.Batch(new JobBatch(fold, b.GlobalStep, b.Epoch, b.Loss, b.LearningRate)),
        Epoch: e =>
        {
            // Without a shared folder the checkpoints go up first, so the epoch that names them finds them there.
            if (spec.CheckpointDir is null && !e.CheckpointFailed)
            {
                sender.UploadCheckpoint(Path.Combine(folder, Trainer.LastCheckpointName), fold, "last");
                if (e.IsBest)
                {
                    sender.UploadCheckpoint(Path.Combine(folder, Trainer.BestCheckpointName), fold, "best");
                }
            }
            sender.Epoch(new JobEpoch(fold, folds, e));
            var where = fold is null ? "" : $"fold {fold}/{folds}  ";
            JobLog.Write(string.Create(CultureInfo.InvariantCulture,
                $"{where}epoch {e.Epoch}/{e.Epochs}  loss {e.TrainLoss:F4}  acc {e.Validation?.Accuracy:F4}  auc {e.Validation?.Auc:F4}  {e.Seconds:F1}s"));
        });

    // The dashboard may be restarting: try until it answers or the wait is over.
    private static async Task<T> FirstAnswerAsync<T>(Func<Task<T>> call, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + wait;
        var pause = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (HttpRequestException e) when (DateTimeOffset.UtcNow + pause < deadline)
            {
                JobLog.Write($"the dashboard cannot be reached ({e.Message}); trying again in {pause.TotalSeconds:0} s");
            }
            catch (HttpRequestException e)
            {
                throw new PalmLabException($"The dashboard could not be reached within {wait.TotalMinutes:0} min: {e.Message}");
            }
            catch (JobCallException e)
            {
                throw new PalmLabException($"The dashboard refused the job: {e.Message}");
            }
            await Task.Delay(pause, cancellationToken);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            JobLog.Write($"could not remove {folder}: {e.Message}");
        }
    }
}
