namespace PalmLab.Bench;

/// <summary>CPU use of the stream benchmark's two processes over one window, in percent of one core.</summary>
internal sealed record CpuShare(double Server, double ServerKernel, double Clients, double Seconds);
