using System.Runtime.InteropServices;
using PalmLab.Engine;
using PalmLab.Engine.Runtime;
using TorchSharp;

namespace PalmLab.Tests.Engine;

public class TorchRuntimeTests
{
    private const int Block = 8 * 1024 * 1024;
    private const int Blocks = 24;

    [Fact]
    public void Initialize_OnLinux_KeepsAThreadsFreedMemoryMapped()
    {
        Assert.True(OperatingSystem.IsLinux(), "This check reads glibc's behaviour through Linux's per-thread fault counts.");
        TorchRuntime.Initialize("cpu", threads: 1);
        long faults = -1, refaults = -1;

        // A fresh thread allocates from an arena of its own, as a thread-pool thread that trains does: 192 MiB in blocks
        // below the mmap threshold span three of its 64 MiB heaps; freed, the two upper ones were unmapped at once and the
        // same blocks again faulted them back in (34,819 of 49,159 pages, run alone without the pad).
        var thread = new Thread(() =>
        {
            faults = TouchAndFree();
            refaults = TouchAndFree();
        });
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromMinutes(2)), "Touching 192 MiB twice took over two minutes.");

        // Alone in a process, the first touch faults every page (49,152); in a busy test process the thread may share an
        // arena that already holds memory and fault less. Either way the second touch must find the memory still mapped.
        const int pages = Blocks * Block / 4096;
        Assert.True(refaults < pages / 10, $"Memory a thread freed went back to the OS: {refaults} page faults the second time (of {pages} pages touched), {faults} the first.");
    }

    private static long TouchAndFree()
    {
        var before = MinorFaultsOfThisThread();
        var blocks = new IntPtr[Blocks];
        for (var i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(Block);  // malloc
            for (var offset = 0; offset < Block; offset += 4096)
            {
                Marshal.WriteByte(blocks[i], offset, 1);
            }
        }
        for (var i = Blocks - 1; i >= 0; i--)
        {
            Marshal.FreeHGlobal(blocks[i]);
        }
        return MinorFaultsOfThisThread() - before;
    }

    private static long MinorFaultsOfThisThread()
    {
        const int rusageThread = 1;
        Assert.True(getrusage(rusageThread, out var usage) == 0, $"getrusage failed: errno {Marshal.GetLastPInvokeError()}.");
        return usage.MinorFaults;
    }

    /// <summary>Linux's struct rusage on 64 bits: two timevals, then fourteen longs, the fifth of which (after maxrss, ixrss, idrss, isrss) is minflt.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxResident, SharedText, UnsharedData, UnsharedStack, MinorFaults;
        public long MajorFaults, Swaps, BlockIn, BlockOut, MessagesSent, MessagesReceived, Signals, VoluntarySwitches, InvoluntarySwitches;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out Rusage usage);

    [Fact]
    public void Initialize_OnGlibcLinux_TunesMallocAndSetsThreads()
    {
        var device = TorchRuntime.Initialize("cpu", threads: 1);

        Assert.Equal(DeviceType.CPU, device.type);
        Assert.Equal(1, torch.get_num_threads());
        Assert.Equal(OperatingSystem.IsLinux(), TorchRuntime.MallocTuned);
        TorchRuntime.Initialize("cpu");
        Assert.Equal(Environment.ProcessorCount, torch.get_num_threads());
    }

    [Fact]
    public void Initialize_OnLinux_TurnsNnpackOffSoLibtorchNeverProbesIt()
    {
        TorchRuntime.Initialize("cpu", threads: 1);

        Assert.False(TorchRuntime.NnpackEnabled);
    }

    [Fact]
    public void ResolveDevice_AutoWithoutGpu_IsCpuAndCudaIsAClearError()
    {
        Assert.Equal(torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, TorchRuntime.ResolveDevice("auto").type);
        if (!torch.cuda.is_available())
        {
            Assert.Contains("CUDA is not available", Assert.Throws<PalmLabException>(() => TorchRuntime.ResolveDevice("cuda")).Message);
        }
        Assert.Contains("Unknown device 'tpu'", Assert.Throws<PalmLabException>(() => TorchRuntime.ResolveDevice("tpu")).Message);
    }
}
