namespace PalmLab.Engine.Training;

// Checking a training request, and continuing a run from its checkpoint.
public static partial class Trainer
{
    // What can be refused before anything is loaded: invalid options, a whole cross-validation, a checkpoint of another
    // model. Gives the checkpoint's header when resuming.
    private static CheckpointHeader? CheckRequest(TrainingConfig config, string? resumeFrom)
    {
        config.EnsureValid();
        if (config.Options.Folds is { } k && config.Fold is null)
        {
            throw new PalmLabException($"A {k}-fold cross-validation trains one fold at a time: train it through CrossValidation.Run.");
        }
        if (resumeFrom is null)
        {
            return null;
        }
        var header = Checkpoint.ReadHeader(resumeFrom);
        EnsureResumable(header.Config.Options, config.Options, resumeFrom);
        return header;
    }

    /// <summary>Refuses to continue a checkpoint as another model: both the checkpoint's and the asked-for values are named.</summary>
    public static void EnsureResumable(TrainingOptions saved, TrainingOptions asked, string path)
    {
        if (saved.Backbone != asked.Backbone)
        {
            throw new PalmLabException($"{path} started from the backbone {saved.Backbone}, not {asked.Backbone}.");
        }
        // Both decide which parameters are trained, and with them the optimizer's groups the checkpoint holds.
        if ((saved.BackboneLearningRate == 0) != (asked.BackboneLearningRate == 0) || saved.FreezeBatchNorm != asked.FreezeBatchNorm)
        {
            throw new PalmLabException(FormattableString.Invariant(
                $"{path} was trained with backbone-lr {saved.BackboneLearningRate} and freeze-bn {saved.FreezeBatchNorm.ToString().ToLowerInvariant()}, which froze other parameters than backbone-lr {asked.BackboneLearningRate} and freeze-bn {asked.FreezeBatchNorm.ToString().ToLowerInvariant()}."));
        }
        if (saved.Depth != asked.Depth)
        {
            throw new PalmLabException($"{path} holds a ResNet-{saved.Depth}, not the ResNet-{asked.Depth} asked for.");
        }
        if (saved.ImageSize != asked.ImageSize)
        {
            throw new PalmLabException($"{path} was trained on {saved.ImageSize}x{saved.ImageSize} images, not {asked.ImageSize}x{asked.ImageSize}.");
        }
        // Both decide which images are trained and held out: changing them would continue on another split.
        if (saved.Seed != asked.Seed || saved.Holdout != asked.Holdout)
        {
            throw new PalmLabException(FormattableString.Invariant(
                $"{path} was trained with seed {saved.Seed} and holdout {saved.Holdout?.ToString() ?? "none"}, not seed {asked.Seed} and holdout {asked.Holdout?.ToString() ?? "none"}."));
        }
    }

    // The checkpoint's weights, optimizer state and best validation loaded into the session; gives the epoch to go on with.
    private static int Resume(TrainingSession session, string resumeFrom)
    {
        var header = Checkpoint.Load(resumeFrom, session.Model, session.Optimizer);
        (session.BestAuc, session.BestAccuracy) = (header.BestAuc, header.BestAccuracy);
        // A crash between writing "last" and copying it to "best" would leave best.ckpt an epoch behind for good.
        if (header.Result?.IsBest == true && (!File.Exists(session.BestPath) || Checkpoint.ReadHeader(session.BestPath).Epoch != header.Epoch))
        {
            Checkpoint.Copy(resumeFrom, session.BestPath);
        }
        return header.Epoch + 1;
    }
}
