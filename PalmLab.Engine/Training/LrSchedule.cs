namespace PalmLab.Engine.Training;

/// <summary>The learning rate at each optimizer step, as a pure function of the configuration and the step.</summary>
public static class LrSchedule
{
    /// <summary>Learning rate for 0-based <paramref name="step"/> of a run of <paramref name="totalSteps"/> steps.</summary>
    public static double At(TrainingConfig config, long step, long totalSteps)
    {
        var decaySteps = config.DecaySteps ?? Math.Max(1, totalSteps);
        double start = config.LearningRate, end = config.EndLearningRate;
        var rate = config.Schedule switch
        {
            LrScheduleKind.Constant => start,
            // Paddle's PolynomialDecay (cycle off), as the reference course uses it.
            LrScheduleKind.Polynomial => (start - end) * Math.Pow(1 - (double)Math.Min(step, decaySteps) / decaySteps, config.Power) + end,
            LrScheduleKind.Cosine => end + (start - end) * (1 + Math.Cos(Math.PI * Math.Min(step, decaySteps) / decaySteps)) / 2,
            LrScheduleKind.Step => start * Math.Pow(config.Gamma, step / (config.StepSize ?? Math.Max(1, totalSteps / 3))),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Schedule, "unknown schedule"),
        };
        return step < config.WarmupSteps ? rate * (step + 1) / config.WarmupSteps : rate;
    }
}
