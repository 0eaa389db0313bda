using PalmLab.Engine;
using PalmLab.Engine.Runtime;
using TorchSharp;

namespace PalmLab.Tests.Engine;

public class TorchRuntimeTests
{
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
