namespace PalmLab.Web.Components.Pages.Runs;

/// <summary>TensorBoard's loss smoothing, so a slider value means here what it means there.</summary>
public static class Smoothing
{
    /// <summary>
    /// An exponential moving average with TensorBoard's debiasing: dividing by 1 - weight^n keeps the first points from
    /// being pulled towards zero. Non-finite values pass through untouched, and so does a constant series.
    /// </summary>
    public static double[] Ema(IReadOnlyList<double> values, double weight)
    {
        var smoothed = new double[values.Count];
        var constant = values.All(v => v.Equals(values[0]));
        var last = 0.0;
        var count = 0;
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (constant || !double.IsFinite(value))
            {
                smoothed[i] = value;
                continue;
            }
            last = last * weight + (1 - weight) * value;
            count++;
            var debias = weight == 1 ? 1 : 1 - Math.Pow(weight, count);
            smoothed[i] = last / debias;
        }
        return smoothed;
    }
}
