namespace PalmLab.Web.Runs;

/// <summary>
/// <see cref="Downsampler.MinMax"/> as a stream: fed a curve's points in step order, one at a time, it keeps each bucket's
/// first lowest and first highest point, so a long curve is thinned while it is read rather than held whole.
/// </summary>
public sealed class MinMaxThinning<T>
{
    private readonly long _count;
    private readonly int _buckets;
    private readonly List<T> _kept = [];
    private int _bucket;
    private long _end;
    private long _index;
    private bool _open;
    private (long Step, double Loss, T Point) _min;
    private (long Step, double Loss, T Point) _max;

    /// <param name="count">How many points will be added.</param>
    /// <param name="target">About how many to keep; each of target / 2 buckets keeps one or two.</param>
    public MinMaxThinning(long count, int target)
    {
        _count = count;
        _buckets = Math.Max(1, target / 2);
        _end = End(0);
    }

    public void Add(long step, double loss, T point) => Add(step, loss, static p => p, point);

    /// <summary>
    /// The same, making the point from <paramref name="state"/> only when the bucket keeps it for now (about one point in
    /// ten): reading every column of 100,000 rows to keep 2,000 cost more than reading step and loss.
    /// </summary>
    public void Add<TState>(long step, double loss, Func<TState, T> point, TState state)
    {
        // Bucket b holds the points [count * b / buckets, count * (b + 1) / buckets); any past the count stay in the last.
        while (_index >= _end && _bucket < _buckets - 1)
        {
            Close();
            _bucket++;
            _end = End(_bucket);
        }
        if (!_open)
        {
            var first = point(state);
            (_min, _max, _open) = ((step, loss, first), (step, loss, first), true);
        }
        else if (loss < _min.Loss)
        {
            _min = (step, loss, point(state));
        }
        else if (loss > _max.Loss)
        {
            _max = (step, loss, point(state));
        }
        _index++;
    }

    /// <summary>The kept points in step order; call once, after the last point.</summary>
    public List<T> Finish()
    {
        Close();
        return _kept;
    }

    private void Close()
    {
        if (!_open)
        {
            return;
        }
        _open = false;
        if (_min.Step == _max.Step)
        {
            _kept.Add(_min.Point);
            return;
        }
        _kept.Add(_min.Step < _max.Step ? _min.Point : _max.Point);
        _kept.Add(_min.Step < _max.Step ? _max.Point : _min.Point);
    }

    private long End(int bucket) => _count * (bucket + 1) / _buckets;
}
