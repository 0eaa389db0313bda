using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using PalmLab.Engine.Inference;
using PalmLab.Tests.Web.Predict;

namespace PalmLab.Tests.Web;

public sealed class PredictEnsembleApiTests(EnsembleAppFixture fixture) : IClassFixture<EnsembleAppFixture>
{
    [Fact]
    public async Task Predict_EnsembleOfACrossValidatedRun_GivesTheMeanOfItsFoldModelsAndNamesThem()
    {
        var images = new[] { TestUploads.Jpeg(), TestUploads.Jpeg(label: 0, seed: 9) };

        var body = await OkAsync(await PostAsync(images, ("checkpoint", $"{fixture.CrossValidated}:ensemble")));

        var checkpoint = body.GetProperty("checkpoint");
        Assert.Equal($"{fixture.CrossValidated}:ensemble", checkpoint.GetProperty("id").GetString());
        Assert.Equal("ensemble", checkpoint.GetProperty("kind").GetString());
        Assert.Equal([$"{fixture.CrossValidated}:fold-1:best", $"{fixture.CrossValidated}:fold-2:best"],
            checkpoint.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("none", checkpoint.GetProperty("tta").GetString());
        using var first = Predictor.Load(fixture.Folds[0], "cpu");
        using var second = Predictor.Load(fixture.Folds[1], "cpu");
        var results = body.GetProperty("results").EnumerateArray().ToList();
        for (var i = 0; i < images.Length; i++)
        {
            var a = first.Predict(images[i], "a.jpg").Probability!.Value;
            var b = second.Predict(images[i], "b.jpg").Probability!.Value;
            Assert.NotEqual(a, b);
            Assert.Equal((a + b) / 2, results[i].GetProperty("probability").GetDouble(), 5);
        }
    }

    [Fact]
    public async Task Predict_TtaFlipWithCam_IsTheMeanOfTheImageAndItsMirrorAndSaysSo()
    {
        var image = TestUploads.Jpeg(seed: 5);

        var body = await OkAsync(await PostAsync([image], ("checkpoint", $"{fixture.Plain}:best"), ("tta", "flip"), ("cam", "true")));

        Assert.Equal("flip", body.GetProperty("checkpoint").GetProperty("tta").GetString());
        Assert.Equal([$"{fixture.Plain}:best"], body.GetProperty("checkpoint").GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        using var predictor = Predictor.Load(fixture.Folds[0], "cpu");
        var result = body.GetProperty("results")[0];
        Assert.Equal(predictor.Predict(image, "x.jpg", TestTimeAugmentation.Flip).Probability!.Value, result.GetProperty("probability").GetDouble(), 5);
        Assert.NotEqual(predictor.Predict(image, "x.jpg").Probability!.Value, result.GetProperty("probability").GetDouble(), 6);
        Assert.False(string.IsNullOrEmpty(result.GetProperty("camPng").GetString()));
    }

    [Fact]
    public async Task Predict_EnsembleWithFlip_AveragesEachFoldModelsFlippedProbability()
    {
        var image = TestUploads.Jpeg(seed: 6);

        var body = await OkAsync(await PostAsync([image], ("checkpoint", $"{fixture.CrossValidated}:ensemble"), ("tta", "FLIP")));

        using var ensemble = Predictor.Load(fixture.Folds, "cpu");
        Assert.Equal(ensemble.Predict(image, "x.jpg", TestTimeAugmentation.Flip).Probability!.Value, body.GetProperty("results")[0].GetProperty("probability").GetDouble(), 5);
        Assert.Equal("flip", body.GetProperty("checkpoint").GetProperty("tta").GetString());
    }

    [Theory]
    [InlineData("tta", "rotate", "tta", "must be none or flip, not 'rotate'")]
    [InlineData("checkpoint", "3:folds", "checkpoint", "write RUN:best, RUN:last or RUN:ensemble")]
    public async Task Predict_BadField_Is400NamingIt(string field, string value, string key, string message)
    {
        var response = await PostAsync([TestUploads.Jpeg()], (field, value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(message, problem.RootElement.GetProperty("errors").GetProperty(key)[0].GetString());
    }

    [Fact]
    public async Task Predict_EnsembleOfARunWithoutFolds_Is400SayingItIsNotCrossValidated()
    {
        var response = await PostAsync([TestUploads.Jpeg()], ("checkpoint", $"{fixture.Plain}:ensemble"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains($"Run {fixture.Plain} (plain) is not cross-validated", problem.RootElement.GetProperty("errors").GetProperty("checkpoint")[0].GetString());
    }

    [Fact]
    public async Task Predict_BesideARunWithUnreadableFoldFiles_StillPredictsAndThatRunHasNoEnsemble()
    {
        var plain = await PostAsync([TestUploads.Jpeg()], ("checkpoint", $"{fixture.Plain}:best"));
        var corrupt = await PostAsync([TestUploads.Jpeg()], ("checkpoint", $"{fixture.Corrupt}:ensemble"));

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, corrupt.StatusCode);
    }

    [Fact]
    public async Task Predict_BestOfACrossValidatedRun_Is404_ItsFoldModelsAnswerOnlyTogether()
    {
        var response = await PostAsync([TestUploads.Jpeg()], ("checkpoint", $"{fixture.CrossValidated}:best"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Predict_EnsembleOfAnUnknownRunOrOneWithoutAllItsFolds_Is404SayingWhich()
    {
        var unknown = await PostAsync([TestUploads.Jpeg()], ("checkpoint", "9999:ensemble"));
        var unfinished = await PostAsync([TestUploads.Jpeg()], ("checkpoint", $"{fixture.Unfinished}:ensemble"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("There is no run 9999", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unfinished.StatusCode);
        var detail = await unfinished.Content.ReadAsStringAsync();
        Assert.Contains("best checkpoint of each of its 3 folds", detail);
        Assert.DoesNotContain(fixture.App.CheckpointsDir, detail);
    }

    private async Task<HttpResponseMessage> PostAsync(IReadOnlyList<byte[]> images, params (string Field, string Value)[] fields)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (bytes, i) in images.Select((b, i) => (b, i)))
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(content, "file", $"eye-{i}.jpg");
        }
        foreach (var (field, value) in fields)
        {
            form.Add(new StringContent(value), field);
        }
        return await fixture.Client.PostAsync("/api/predict", form);
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
