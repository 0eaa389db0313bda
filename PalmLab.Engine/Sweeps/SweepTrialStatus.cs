namespace PalmLab.Engine.Sweeps;

public enum SweepTrialStatus
{
    /// <summary>Trained every epoch (of every fold).</summary>
    Completed,

    /// <summary>Stopped by median stopping; its finished epochs and checkpoints are kept.</summary>
    StoppedEarly,

    /// <summary>Training refused or failed (it diverged, for one); the message says why.</summary>
    Failed,

    /// <summary>The sweep was cancelled while this trial trained.</summary>
    Cancelled,
}
