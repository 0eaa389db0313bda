namespace PalmLab.Web.Components.Shared;

/// <summary>
/// Makes an <see cref="ApexChart"/> a training-loss chart kept by the browser: series 0 is the batch loss, series 1 its
/// TensorBoard-style EMA, computed by the script with <paramref name="Smoothing"/> (the series passed for it is left
/// empty), and any series after them are drawn as given. With <paramref name="RunId"/> the script joins that run on
/// /hubs/runs itself and appends each batch (loss, smoothed loss and, into a series named "Learning rate", the
/// learning rate) without a render; after a reconnect it fetches the batches it missed.
/// </summary>
public sealed record ChartLive(int? RunId, double Smoothing);
