using PalmLab.Bench;

// Benchmarks of the engine and the web app; bench/run.sh runs them beside PyTorch and prints the table of
// docs/benchmarks.md. One mode per file; each file's summary says its arguments.
var mode = args.FirstOrDefault() ?? "step";
var rest = args.Skip(1).ToArray();
switch (mode)
{
    case "step": StepBench.Run(rest); break;
    case "layout": LayoutBench.Run(rest); break;
    case "epoch": EpochBench.Run(rest); break;
    case "explain": ExplainBench.Run(rest); break;
    case "onnx": OnnxBench.Run(rest); break;
    case "peak": PeakBench.Run(rest); break;
    case "pipeline": PipelineBench.Run(rest); break;
    case "tracker": TrackerBench.Run(rest); break;
    case "memory": MemoryBench.Run(rest); break;
    case "stream": StreamBench.Run(rest); break;
    case "scale": await ScaleBench.RunAsync(rest); break;
    case "backbone": BackboneBench.Run(rest); break;
    case "flips": FlipsBench.Run(rest); break;
    case "int8": Int8Bench.Run(rest); break;
    // Two builds compared (bench/child-process.sh): BEFORE AFTER first.
    case "startup": StartupBench.Run(rest); break;
    case "childtracker": ChildTrackerBench.Run(rest); break;
    case "childmemory": ChildMemoryBench.Run(rest); break;
    default:
        Console.Error.WriteLine($"unknown mode '{mode}': step, epoch, explain, onnx, peak, pipeline, tracker, memory, stream, scale, backbone, flips, startup, childtracker, childmemory");
        return 2;
}
return 0;
