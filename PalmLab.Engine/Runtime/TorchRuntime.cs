using System.Runtime.InteropServices;
using TorchSharp;

namespace PalmLab.Engine.Runtime;

/// <summary>
/// One-time process set-up for TorchSharp: allocator tuning, thread count and device choice.
/// </summary>
public static partial class TorchRuntime
{
    private const int MallocTrimThreshold = -1;
    private const int MallocMmapThreshold = -3;
    private static readonly Lock Gate = new();
    private static bool _mallocAttempted;

    /// <summary>Whether glibc's malloc was tuned for TorchSharp in this process (false off glibc).</summary>
    public static bool MallocTuned { get; private set; }

    /// <summary>
    /// Tunes glibc malloc (once per process), sets the intra-op thread count and returns the device to train on.
    /// </summary>
    /// <param name="device">"auto" (CUDA when available, else CPU), "cpu" or "cuda".</param>
    /// <param name="threads">Intra-op threads; 0 or less means one per core.</param>
    public static torch.Device Initialize(string device = "auto", int threads = 0)
    {
        TuneMalloc();
        torch.set_num_threads(threads > 0 ? threads : Environment.ProcessorCount);
        return ResolveDevice(device);
    }

    /// <summary>Maps "auto", "cpu" or "cuda" to a device; "cuda" without a GPU is an error.</summary>
    public static torch.Device ResolveDevice(string device)
    {
        switch (device.Trim().ToLowerInvariant())
        {
            case "auto":
                return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
            case "cpu":
                return torch.CPU;
            case "cuda":
                if (!torch.cuda.is_available())
                {
                    throw new PalmLabException("Device 'cuda' was asked for, but CUDA is not available (this build or machine has no GPU support); use --device auto or cpu.");
                }
                return torch.CUDA;
            default:
                throw new PalmLabException($"Unknown device '{device}': use auto, cpu or cuda.");
        }
    }

    // glibc returns large freed blocks to the OS at once, so every training step page-faults its
    // activations back in (1.7x slower here). Keeping freed memory mapped makes TorchSharp as fast as PyTorch.
    private static void TuneMalloc()
    {
        lock (Gate)
        {
            if (_mallocAttempted || !OperatingSystem.IsLinux())
            {
                return;
            }
            _mallocAttempted = true;
            try
            {
                MallocTuned = mallopt(MallocMmapThreshold, 32 * 1024 * 1024) == 1 && mallopt(MallocTrimThreshold, int.MaxValue) == 1;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // Not glibc (musl, for example): nothing to tune.
            }
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);
}
