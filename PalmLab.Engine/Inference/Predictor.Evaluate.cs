using PalmLab.Engine.Data;
using PalmLab.Engine.Training;

namespace PalmLab.Engine.Inference;

public sealed partial class Predictor
{
    /// <summary>
    /// Scores the ensemble, and each member alone, on a labelled set (decoded once, at <see cref="ImageSize"/>). A member
    /// without test-time augmentation is scored as training scores it (loss from its logits); averaged probabilities have
    /// their loss computed from the probability.
    /// </summary>
    public EnsembleEvaluation Evaluate(ImageTensorSet set, int batchSize, double threshold, TestTimeAugmentation tta, CancellationToken cancellationToken = default)
    {
        if (set.ImageSize != ImageSize)
        {
            throw new ArgumentException($"The set holds {set.ImageSize} px images; the models take {ImageSize} px.", nameof(set));
        }
        var labels = set.Items.Select(i => i.Label).ToArray();
        var members = _models.Select(model => tta == TestTimeAugmentation.None
            ? Evaluator.Evaluate(model, set, batchSize, threshold, _device, cancellationToken)
            : Evaluation.FromProbabilities(MemberProbabilities(model, set.Images, batchSize, tta, cancellationToken), labels, threshold)).ToList();
        if (members.Count == 1)
        {
            return new EnsembleEvaluation(members[0], members);
        }
        var mean = Enumerable.Range(0, set.Count).Select(i => (float)(members.Sum(m => (double)m.Probabilities[i]) / members.Count)).ToArray();
        return new EnsembleEvaluation(Evaluation.FromProbabilities(mean, labels, threshold), members);
    }
}
