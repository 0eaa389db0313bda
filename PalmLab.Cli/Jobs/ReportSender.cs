using System.Globalization;
using PalmLab.Engine.Jobs;

namespace PalmLab.Cli.Jobs;

/// <summary>
/// Sends a job's reports to the dashboard in order, from a buffer: batches are grouped every half second, checkpoints
/// are copied aside and uploaded before the epoch that names them. When the dashboard cannot be reached the reports
/// wait and are sent again, with growing pauses; the dashboard applies each numbered report once, so nothing is lost
/// or doubled. <see cref="RunEnded"/> fires when the dashboard says the run is over (cancelled there).
/// </summary>
public sealed class ReportSender : IAsyncDisposable
{
    private const int MaxBatchesPerReport = 500;
    private const int MaxReportsPerCall = 50;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly JobClient _client;
    private readonly string _spool;
    private readonly Lock _gate = new();
    private readonly List<object> _items = []; // JobReport or Upload, in the order they happened
    private readonly CancellationTokenSource _runEnded = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Task _loop;
    private List<JobBatch> _batches = [];
    private long _seq;
    private int _uploads;
    private DateTimeOffset? _unreachableSince;
    private readonly ReconnectPause _pause = new();

    private sealed record Upload(string File, int? Fold, string Kind);

    public ReportSender(JobClient client, string spool)
    {
        _client = client;
        _spool = spool;
        Directory.CreateDirectory(spool);
        _loop = Task.Run(LoopAsync);
    }

    public CancellationToken RunEnded => _runEnded.Token;

    /// <summary>Reports and uploads not yet accepted by the dashboard.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _items.Count + (_batches.Count > 0 ? 1 : 0);
            }
        }
    }

    public void Start(JobStart start) => Add(seq => new JobReport(seq, Start: start));

    public void Batch(JobBatch batch)
    {
        lock (_gate)
        {
            _batches.Add(batch);
            if (_batches.Count >= MaxBatchesPerReport)
            {
                CutBatches();
            }
        }
    }

    public void Epoch(JobEpoch epoch) => Add(seq => new JobReport(seq, Epoch: epoch));

    public void End(JobEnd end) => Add(seq => new JobReport(seq, End: end));

    /// <summary>Copies the checkpoint aside now (the next epoch overwrites it) and uploads it in turn.</summary>
    public void UploadCheckpoint(string file, int? fold, string kind)
    {
        var copy = Path.Combine(_spool, $"upload-{Interlocked.Increment(ref _uploads)}-{kind}.ckpt");
        File.Copy(file, copy, overwrite: true);
        lock (_gate)
        {
            CutBatches();
            // A newer checkpoint of the same kind supersedes one still waiting, so a dashboard away for hours costs one
            // copy per kind, not one per epoch. Item 0 may be on its way. A resume from the older checkpoint the
            // dashboard then keeps trims the epochs recorded after it, as after any crash.
            for (var i = _items.Count - 1; i >= 1; i--)
            {
                if (_items[i] is Upload waiting && waiting.Kind == kind && waiting.Fold == fold)
                {
                    _items.RemoveAt(i);
                    File.Delete(waiting.File);
                }
            }
            _items.Add(new Upload(copy, fold, kind));
        }
    }

    /// <summary>Sends what is left; false when <paramref name="maxWait"/> passed (or the run ended) with reports unsent.</summary>
    public async Task<bool> DrainAsync(TimeSpan maxWait)
    {
        var deadline = DateTimeOffset.UtcNow + maxWait;
        lock (_gate)
        {
            CutBatches();
        }
        while (Pending > 0 && !_runEnded.IsCancellationRequested && DateTimeOffset.UtcNow < deadline)
        {
            _wake.Release();
            await Task.Delay(200);
        }
        return Pending == 0;
    }

    private void Add(Func<long, JobReport> report)
    {
        lock (_gate)
        {
            CutBatches();
            _items.Add(report(++_seq));
        }
        _wake.Release();
    }

    private void CutBatches()
    {
        if (_batches.Count > 0)
        {
            _items.Add(new JobReport(++_seq, Batches: _batches));
            _batches = [];
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested && !_runEnded.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(Interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            lock (_gate)
            {
                CutBatches();
            }
            if (!await SendAsync())
            {
                try
                {
                    await Task.Delay(_pause.Next(), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    // True when everything pending was sent (or the run ended); false to pause and try again.
    private async Task<bool> SendAsync()
    {
        try
        {
            while (Head() is { } head)
            {
                if (head is Upload upload)
                {
                    await _client.UploadAsync(upload.File, upload.Fold, upload.Kind, _stop.Token);
                    File.Delete(upload.File);
                    Drop(1);
                }
                else
                {
                    var reports = Reports();
                    var accepted = await _client.PostReportsAsync(reports, _stop.Token);
                    var done = reports.Count(r => r.Seq <= accepted);
                    if (done == 0)
                    {
                        return false;
                    }
                    Drop(done);
                }
                Reachable();
            }
            return true;
        }
        catch (JobCallException e)
        {
            // The dashboard answered and refused: the run is over (cancelled there), or this job may not report for it.
            JobLog.Write(e.RunEnded ? $"the dashboard says the run is over ({e.Message}); stopping" : $"the dashboard refused a report: {e.Message}; stopping");
            lock (_gate)
            {
                _items.Clear();
                _batches.Clear();
            }
            _runEnded.Cancel();
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or System.Text.Json.JsonException)
        {
            if (_unreachableSince is null)
            {
                _unreachableSince = DateTimeOffset.UtcNow;
                JobLog.Write($"the dashboard cannot be reached ({e.Message}); reports are kept and sent again");
            }
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    private object? Head()
    {
        lock (_gate)
        {
            return _items.Count > 0 ? _items[0] : null;
        }
    }

    private List<JobReport> Reports()
    {
        lock (_gate)
        {
            return _items.TakeWhile(i => i is JobReport).Cast<JobReport>().Take(MaxReportsPerCall).ToList();
        }
    }

    private void Drop(int count)
    {
        lock (_gate)
        {
            _items.RemoveRange(0, count);
        }
    }

    private void Reachable()
    {
        if (_unreachableSince is { } since)
        {
            JobLog.Write(string.Create(CultureInfo.InvariantCulture, $"the dashboard is reachable again after {(DateTimeOffset.UtcNow - since).TotalSeconds:0} s; sending the kept reports"));
            _unreachableSince = null;
        }
        _pause.Reset();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _runEnded.Dispose();
        _wake.Dispose();
    }
}
