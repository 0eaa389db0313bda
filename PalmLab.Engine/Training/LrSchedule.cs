namespace PalmLab.Engine.Training;

/// <summary>The learning rate at each optimizer step, as a pure function of the options and the step.</summary>
public static class LrSchedule
{
    /// <summary>Learning rate for 0-based <paramref name="step"/> of a run of <paramref name="totalSteps"/> steps.</summary>
    public static double At(TrainingOptions options, long step, long totalSteps)
    {
        var decaySteps = options.DecaySteps ?? Math.Max(1, totalSteps);
        double start = options.LearningRate, end = options.EndLearningRate;
        var rate = options.Schedule switch
        {
            LrScheduleKind.Constant => start,
            // Paddle's PolynomialDecay (cycle off), as the reference course uses it; decay steps may be fractional (102.5).
            LrScheduleKind.Polynomial => (start - end) * Math.Pow(1 - Math.Min(step, decaySteps) / decaySteps, options.Power) + end,
            LrScheduleKind.Cosine => end + (start - end) * (1 + Math.Cos(Math.PI * Math.Min(step, decaySteps) / decaySteps)) / 2,
            LrScheduleKind.Step => start * Math.Pow(options.Gamma, step / (options.StepSize ?? Math.Max(1, totalSteps / 3))),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Schedule, "unknown schedule"),
        };
        return step < options.WarmupSteps ? rate * (step + 1) / options.WarmupSteps : rate;
    }
}
