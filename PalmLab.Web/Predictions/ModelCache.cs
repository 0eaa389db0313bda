namespace PalmLab.Web.Predictions;

/// <summary>
/// Loaded models by key (a checkpoint file and its version), the most recently used ones kept, at most
/// <see cref="Capacity"/>. TorchSharp modules are not thread-safe, so each model is used by one caller at a time;
/// a model pushed out while a caller still uses it is disposed when that caller is done.
/// </summary>
public sealed class ModelCache<TModel>(int capacity, Func<string, TModel> load) : IDisposable
    where TModel : class, IDisposable
{
    private readonly Lock _lock = new();
    // Most recently used first.
    private readonly LinkedList<Entry> _order = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = [];
    private bool _disposed;

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), "Keep at least one model.");

    /// <summary>The keys of the models held now, most recently used first.</summary>
    public IReadOnlyList<string> Keys
    {
        get
        {
            lock (_lock)
            {
                return _order.Select(e => e.Key).ToList();
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the model for <paramref name="key"/> (loaded with <paramref name="path"/> on first
    /// use), alone on that model and off the caller's thread.
    /// </summary>
    public Task<T> UseAsync<T>(string key, string path, Func<TModel, T> work, CancellationToken cancellationToken) =>
        UseAsync(key, () => load(path), work, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> on the model for <paramref name="key"/> (built by <paramref name="loadModel"/> on first
    /// use, such as an ensemble of several checkpoints held as one entry), alone on that model and off the caller's thread.
    /// </summary>
    public async Task<T> UseAsync<T>(string key, Func<TModel> loadModel, Func<TModel, T> work, CancellationToken cancellationToken)
    {
        var entry = Acquire(key);
        try
        {
            await entry.Gate.WaitAsync(cancellationToken);
            try
            {
                // Loading under the gate: two first requests for one checkpoint load it once.
                entry.Model ??= await Task.Run(loadModel, cancellationToken);
                var model = entry.Model;
                return await Task.Run(() => work(model), CancellationToken.None);
            }
            finally
            {
                entry.Gate.Release();
            }
        }
        finally
        {
            Release(entry);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (var entry in _order)
            {
                entry.Evicted = true;
                if (entry.Users == 0)
                {
                    entry.Model?.Dispose();
                }
            }
            _order.Clear();
            _entries.Clear();
        }
    }

    private Entry Acquire(string key)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_entries.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
            }
            else
            {
                node = _order.AddFirst(new Entry(key));
                _entries[key] = node;
                while (_order.Count > Capacity)
                {
                    var oldest = _order.Last!.Value;
                    _order.RemoveLast();
                    _entries.Remove(oldest.Key);
                    oldest.Evicted = true;
                    if (oldest.Users == 0)
                    {
                        oldest.Model?.Dispose();
                        oldest.Model = null;
                    }
                }
            }
            node.Value.Users++;
            return node.Value;
        }
    }

    private void Release(Entry entry)
    {
        lock (_lock)
        {
            entry.Users--;
            if (entry.Evicted && entry.Users == 0)
            {
                entry.Model?.Dispose();
                entry.Model = null;
            }
        }
    }

    private sealed class Entry(string key)
    {
        public string Key { get; } = key;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public TModel? Model { get; set; }

        public int Users { get; set; }

        public bool Evicted { get; set; }
    }
}
