namespace PalmLab.Engine.Training;

/// <summary>How the learning rate moves from <c>LearningRate</c> towards <c>EndLearningRate</c>.</summary>
public enum LrScheduleKind
{
    Constant,
    Polynomial,
    Cosine,
    Step,
}
