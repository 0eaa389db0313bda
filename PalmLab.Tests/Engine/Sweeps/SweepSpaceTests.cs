using PalmLab.Engine.Sweeps;
using PalmLab.Engine.Training;

namespace PalmLab.Tests.Engine.Sweeps;

public class SweepSpaceTests
{
    [Fact]
    public void Parse_ListsAndRangesUnderAnyOptionName_TypedValuesInTheGivenOrder()
    {
        var (space, errors) = SweepSpace.Parse("""
            {"depth": [18, 34], "flip": [true, false], "Schedule": ["cosine", "polynomial"], "decaySteps": [null, 100.5],
             "lr": {"min": 0.001, "max": 0.1, "scale": "log", "count": 3}, "batch-size": {"min": 4, "max": 12, "step": 4}}
            """);

        Assert.Empty(errors);
        Assert.Equal(["Depth", "AugmentFlip", "Schedule", "DecaySteps", "LearningRate", "BatchSize"], space.Dimensions.Select(d => d.Option));
        Assert.Equal([18, 34], space.Dimensions[0].Values!.Cast<int>());
        Assert.Equal([true, false], space.Dimensions[1].Values!.Cast<bool>());
        Assert.Equal([LrScheduleKind.Cosine, LrScheduleKind.Polynomial], space.Dimensions[2].Values!.Cast<LrScheduleKind>());
        Assert.Equal([null, 100.5], space.Dimensions[3].Values!);
        Assert.Equal([0.001, 0.01, 0.1], space.Dimensions[4].GridValues().Cast<double>());
        // Whole-number options stay whole numbers.
        Assert.Equal([4, 8, 12], space.Dimensions[5].GridValues().Cast<int>());
        Assert.Equal(2 * 2 * 2 * 2 * 3 * 3, space.GridSize);
    }

    [Fact]
    public void GridValues_LinearCountAndStep_IncludeBothEndsDespiteBinaryFractions()
    {
        var (space, errors) = SweepSpace.Parse("""{"weightDecay": {"min": 0.1, "max": 0.3, "step": 0.1}, "momentum": {"min": 0, "max": 0.9, "count": 4}}""");

        Assert.Empty(errors);
        Assert.Equal([0.1, 0.2, 0.3], space.Dimensions[0].GridValues().Cast<double>());
        Assert.Equal([0, 0.3, 0.6, 0.9], space.Dimensions[1].GridValues().Cast<double>());
    }

    [Fact]
    public void GridValues_WholeNumberLogRange_RoundsAndDropsRepeats()
    {
        var (space, errors) = SweepSpace.Parse("""{"epochs": {"min": 1, "max": 4, "scale": "log", "count": 5}}""");

        Assert.Empty(errors);
        // 1, 1.41, 2, 2.83, 4 rounded: 1, 1, 2, 3, 4.
        Assert.Equal([1, 2, 3, 4], space.Dimensions[0].GridValues().Cast<int>());
    }

    [Theory]
    [InlineData("""{"depht": [18]}""", "depht", "is not an option (the options are holdout, folds, depth,")]
    [InlineData("""{"depth": []}""", "Depth", "is an empty list: give at least one value")]
    [InlineData("""{"lr": {"min": 0.1, "max": 0.001}}""", "LearningRate", "range min 0.1 is above max 0.001")]
    [InlineData("""{"lr": {"min": 0, "max": 0.1, "scale": "log", "count": 3}}""", "LearningRate", "a log range needs a min above 0, not 0")]
    [InlineData("""{"lr": {"max": 0.1}}""", "LearningRate", "range needs \"min\"")]
    [InlineData("""{"lr": {"min": 0.1, "max": 0.2, "step": 0.1, "count": 2}}""", "LearningRate", "range takes a step or a count, not both")]
    [InlineData("""{"lr": {"min": 0.1, "max": 0.2, "scale": "log", "step": 0.1}}""", "LearningRate", "a log range takes a count of points, not a step")]
    [InlineData("""{"lr": {"min": 0.1, "max": 0.2, "count": 1}}""", "LearningRate", "range count must be a whole number from 2 to 1,000, not 1")]
    [InlineData("""{"lr": {"min": 0.1, "max": 0.2, "scale": "cubic"}}""", "LearningRate", "range scale must be \"linear\" or \"log\", not \"cubic\"")]
    [InlineData("""{"lr": {"min": 0.1, "max": 0.2, "steps": 3}}""", "LearningRate", "range has 'steps', which is not one of min, max, scale, step, count")]
    [InlineData("""{"epochs": {"min": 1.5, "max": 3}}""", "Epochs", "range min must be a whole number, not 1.5")]
    [InlineData("""{"flip": {"min": 0, "max": 1}}""", "AugmentFlip", "takes a list of values, not a range (augmentFlip is true or false)")]
    [InlineData("""{"depth": ["deep"]}""", "Depth", "value 1 must be a whole number, not the text 'deep'")]
    [InlineData("""{"schedule": ["cosine", "linear"]}""", "Schedule", "value 2 must be one of constant, polynomial, cosine, step, not 'linear'")]
    [InlineData("""{"depth": 18}""", "Depth", "must be a list of values ([18, 34]) or a range")]
    [InlineData("""{"depth": [18], "Depth": [34]}""", "Depth", "is given twice in the space")]
    [InlineData("""{}""", "Space", "names no option")]
    [InlineData("""[18, 34]""", "Space", "must be a JSON object of options")]
    [InlineData("""{"depth": [18""", "Space", "is not valid JSON")]
    public void Parse_BadSpace_NamesTheOptionAndTheProblem(string json, string option, string message)
    {
        var (_, errors) = SweepSpace.Parse(json);

        var error = Assert.Single(errors);
        Assert.Equal(option, error.Option);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsEveryOne()
    {
        var (_, errors) = SweepSpace.Parse("""{"depht": [18], "lr": [], "momentum": {"min": 0.9, "max": 0.1}}""");

        Assert.Equal(["depht", "LearningRate", "Momentum"], errors.Select(e => e.Option));
    }

    [Fact]
    public void ToJson_ParsedSpace_RoundTripsToTheSameSpace()
    {
        var (space, _) = SweepSpace.Parse("""{"depth": [18, 34], "schedule": ["cosine"], "decaySteps": [null], "lr": {"min": 0.001, "max": 0.1, "scale": "log", "count": 3}}""");

        var (again, errors) = SweepSpace.Parse(space.ToJson());

        Assert.Empty(errors);
        Assert.Equal(space.Dimensions.Select(d => d.ToString()), again.Dimensions.Select(d => d.ToString()));
        Assert.Contains("\"schedule\": [\n    \"cosine\"", space.ToJson().ReplaceLineEndings("\n"));
    }
}
