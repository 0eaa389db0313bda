using System.Globalization;
using System.Runtime.InteropServices;
using PalmLab.Engine.Models;
using TorchSharp;

namespace PalmLab.Engine.Runtime;

/// <summary>
/// One-time process set-up for TorchSharp: allocator tuning, NNPACK off, thread count and device choice.
/// </summary>
public static partial class TorchRuntime
{
    private const int MallocTrimThreshold = -1;
    private const int MallocTopPad = -2;
    private const int MallocMmapThreshold = -3;
    private static readonly Lock Gate = new();
    // /proc/cpuinfo's lines (null off Linux or unreadable), read once per process for the two problems below.
    private static readonly Lazy<string[]?> CpuInfoLines = new(ReadCpuInfo);
    // This processor's bf16 problem (null: none).
    private static readonly Lazy<string?> CpuBf16Problem = new(() => Bf16Problem(CpuFlags()));
    // Why this processor's convolutions stay channels-first (null: none), read from sysfs once per process.
    private static readonly Lazy<string?> CpuChannelsLastProblem = new(() => ChannelsLastProblem(CacheSizes(), CpuInfo("vendor_id"), CpuFlags()));
    private static bool _mallocAttempted;
    private static bool _nnpackAttempted;

    /// <summary>Whether glibc's malloc was tuned for TorchSharp in this process (false off glibc).</summary>
    public static bool MallocTuned { get; private set; }

    /// <summary>Whether libtorch may pick NNPACK for a convolution (false once <see cref="Initialize"/> has run on Linux).</summary>
    public static bool NnpackEnabled => OperatingSystem.IsLinux() && UserEnabledNnpack(GlobalContext());

    /// <summary>
    /// Tunes glibc malloc and turns NNPACK off (once per process), sets the intra-op thread count and returns the device to
    /// train on.
    /// </summary>
    /// <param name="device">"auto" (CUDA when available, else CPU), "cpu" or "cuda".</param>
    /// <param name="threads">Intra-op threads; 0 or less means one per core.</param>
    public static torch.Device Initialize(string device = "auto", int threads = 0)
    {
        TuneMalloc();
        torch.set_num_threads(threads > 0 ? threads : Environment.ProcessorCount);
        DisableNnpack();
        return ResolveDevice(device);
    }

    /// <summary>
    /// Null when <paramref name="device"/> computes in <paramref name="precision"/> natively; otherwise why not, in one line
    /// for the user. A CPU needs bf16 instructions (without them libtorch emulates bf16, slower than fp32); a CUDA device
    /// is taken at its word.
    /// </summary>
    public static string? PrecisionProblem(Precision precision, torch.Device device) =>
        precision == Precision.Fp32 || device.type == DeviceType.CUDA ? null : CpuBf16Problem.Value;

    /// <summary>
    /// bf16 where this machine's processor has bfloat16 instructions, else fp32: the precision of the presets that adopted
    /// bf16 after cross-validation showed it costs no accuracy (issue 24). Read from /proc/cpuinfo once.
    /// </summary>
    public static Precision FastestCpuPrecision => CpuBf16Problem.Value is null ? Precision.Bf16 : Precision.Fp32;

    /// <summary>Why a CPU with these /proc/cpuinfo flags (null: unknown) cannot compute in bf16; null when it can.</summary>
    public static string? Bf16Problem(string? cpuFlags) =>
        HasFlag(cpuFlags, "avx512_bf16") || HasFlag(cpuFlags, "amx_bf16")
            ? null
            : "Precision bf16 needs a processor with bfloat16 instructions (avx512_bf16 or amx_bf16), and "
              + (cpuFlags is null ? "this machine's could not be read" : "this one has neither") + ": use fp32.";

    /// <summary>
    /// Whether a ResNet on the CPU runs its activations channels-last by default (<see cref="ResNet.ChannelsLast"/>):
    /// where the processor reports its cache sizes. Read from sysfs once.
    /// </summary>
    public static bool ChannelsLastByDefault => CpuChannelsLastProblem.Value is null;

    /// <summary>
    /// Why a CPU whose caches are these (level to size in bytes, as sysfs lists cpu0's; null: unknown) keeps convolutions
    /// channels-first; null when it need not. oneDNN sizes its channels-last kernels' blocks by the level-1 and level-2
    /// caches: on a VM that reported none it divided by zero creating ResNet-50's 1x1 convolutions (SIGFPE) and
    /// ResNet-18's outputs came out wrong; on one that reports them every depth runs and agrees with channels-first
    /// (docs/benchmarks.md, issue 24). Channels-first takes kernels that need no cache sizes. oneDNN reads an AMD
    /// processor's caches from CPUID leaf 0x8000001D, which exists with the <c>topoext</c> flag; Linux falls back to
    /// older leaves without it, so sysfs alone would not show that oneDNN sees none: an AMD processor needs the flag too.
    /// </summary>
    public static string? ChannelsLastProblem(IReadOnlyDictionary<int, long>? cacheSizes, string? vendor, string? cpuFlags)
    {
        if (cacheSizes is null || cacheSizes.GetValueOrDefault(1) <= 0 || cacheSizes.GetValueOrDefault(2) <= 0)
        {
            return "This processor " + (cacheSizes is null ? "does not tell its cache sizes here" : "reports no level-1 and level-2 cache sizes")
                + ", which oneDNN's channels-last kernels are sized by: convolutions run channels-first.";
        }
        return vendor?.Trim() == "AuthenticAMD" && !HasFlag(cpuFlags, "topoext")
            ? "This AMD processor lacks topoext, the CPUID leaf oneDNN reads its cache sizes from: convolutions run channels-first."
            : null;
    }

    // cpu0's data and unified caches by level, from /sys/devices/system/cpu/cpu0/cache/index*/{level,type,size}
    // ("32K"); null off Linux or where sysfs has none.
    private static Dictionary<int, long>? CacheSizes()
    {
        const string root = "/sys/devices/system/cpu/cpu0/cache";
        try
        {
            if (!OperatingSystem.IsLinux() || !Directory.Exists(root))
            {
                return null;
            }
            var sizes = new Dictionary<int, long>();
            foreach (var index in Directory.EnumerateDirectories(root, "index*"))
            {
                var type = File.ReadAllText(Path.Combine(index, "type")).Trim();
                if (type != "Instruction" && int.TryParse(File.ReadAllText(Path.Combine(index, "level")).Trim(), out var level))
                {
                    sizes[level] = Math.Max(sizes.GetValueOrDefault(level), ParseCacheSize(File.ReadAllText(Path.Combine(index, "size"))));
                }
            }
            return sizes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A sysfs cache size ("32K", "1024K", "32M", "0") in bytes; 0 for anything else.</summary>
    public static long ParseCacheSize(string text)
    {
        var t = text.Trim();
        var scale = t.EndsWith('K') ? 1L << 10 : t.EndsWith('M') ? 1L << 20 : t.EndsWith('G') ? 1L << 30 : 1;
        var digits = scale > 1 ? t[..^1] : t;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n * scale : 0;
    }

    private static bool HasFlag(string? cpuFlags, string flag) =>
        cpuFlags?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(flag) == true;

    private static string? CpuFlags() => CpuInfo("flags");

    // The first /proc/cpuinfo line of that field, after its colon; null off Linux or where there is none.
    private static string? CpuInfo(string field) =>
        CpuInfoLines.Value?.FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal))?.Split(':', 2)[1];

    private static string[]? ReadCpuInfo()
    {
        try
        {
            return OperatingSystem.IsLinux() ? File.ReadAllLines("/proc/cpuinfo") : null;
        }
        catch (IOException)
        {
            return null;
        }
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
    // The trim threshold covers the main arena only. A thread's own arena grows in 64 MiB heaps and unmaps a heap the
    // moment it is empty, whatever the threshold; only the top pad holds it back. Training on a thread-pool thread (a
    // `palmlab job`, and at times `palmlab train`) refaulted 80,000 pages a second and ran at 0.27-0.37x in a quarter of
    // its runs (docs/benchmarks.md, issue 23); with the pad, as fast as on the main thread.
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
                MallocTuned = mallopt(MallocMmapThreshold, 32 * 1024 * 1024) == 1 && mallopt(MallocTrimThreshold, int.MaxValue) == 1
                    && mallopt(MallocTopPad, 64 * 1024 * 1024) == 1;
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // Not glibc (musl, for example): nothing to tune.
            }
        }
    }

    // libtorch 2.10 asks whether NNPACK is usable for every convolution that oneDNN does not take (1x1 ones on one
    // thread, small batches), and on a CPU that NNPACK does not support (no AVX2, or cache sizes a VM hides) each
    // answer logs "Could not initialize NNPACK! Reason: Unsupported hardware." again: 1,350 of a job's 1,354 lines.
    // Turned off, the question is never asked. Where NNPACK works it served only convolutions without gradients, of 16
    // images or more, that oneDNN declined; those take libtorch's own kernel instead. TorchSharp does not expose the
    // switch (torch.backends.nnpack.set_flags in Python), so it is called in libtorch directly.
    private static void DisableNnpack()
    {
        lock (Gate)
        {
            if (_nnpackAttempted || !OperatingSystem.IsLinux())
            {
                return;
            }
            _nnpackAttempted = true;
            try
            {
                SetUserEnabledNnpack(GlobalContext(), false);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                // Another libtorch build: the warning may come back, training is unaffected.
            }
        }
    }

    [LibraryImport("libtorch_cpu.so", EntryPoint = "_ZN2at13globalContextEv")]
    private static partial IntPtr GlobalContext();

    [LibraryImport("libtorch_cpu.so", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static partial void SetUserEnabledNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [LibraryImport("libtorch_cpu.so", EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool UserEnabledNnpack(IntPtr context);

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);
}
