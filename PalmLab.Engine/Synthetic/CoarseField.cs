namespace PalmLab.Engine.Synthetic;

/// <summary>
/// A smooth function evaluated every <c>step</c> pixels and read back per pixel by bilinear interpolation: the noise
/// fields change over several pixels, so this gives the same picture for a fraction of the cost.
/// </summary>
internal sealed class CoarseField
{
    private readonly float[] _values;
    private readonly int _columns;
    private readonly float _inverseStep;

    public CoarseField(int width, int height, int step, Func<float, float, float> function)
    {
        _inverseStep = 1f / step;
        _columns = width / step + 2;
        var rows = height / step + 2;
        _values = new float[_columns * rows];
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < _columns; column++)
            {
                _values[row * _columns + column] = function(column * step, row * step);
            }
        }
    }

    public float At(int x, int y)
    {
        var (fx, fy) = (x * _inverseStep, y * _inverseStep);
        var (column, row) = ((int)fx, (int)fy);
        var (tx, ty) = (fx - column, fy - row);
        var i = row * _columns + column;
        var top = _values[i] + (_values[i + 1] - _values[i]) * tx;
        var bottom = _values[i + _columns] + (_values[i + _columns + 1] - _values[i + _columns]) * tx;
        return top + (bottom - top) * ty;
    }
}
