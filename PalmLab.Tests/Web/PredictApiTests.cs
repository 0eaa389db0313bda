using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalmLab.Engine.Inference;
using PalmLab.Tests.Web.Predict;
using PalmLab.Web.Api;
using PalmLab.Web.Data;
using PalmLab.Web.Predictions;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;

namespace PalmLab.Tests.Web;

public sealed class PredictApiTests(PredictAppFixture fixture) : IClassFixture<PredictAppFixture>
{
    private HttpClient Client => fixture.Client;

    public static TheoryData<string, string?> BadUploads => new()
    {
        { "empty", "the file is empty" },
        { "text renamed .jpg", "not a readable image" },
        { "truncated JPEG", "truncated" },
        { "25 MB file", "larger than the 20 MB" },
        { "30000x30000 PNG bomb", "30000x30000 pixels is larger than" },
        { "PNG with alpha", null },
        { "greyscale JPEG", null },
        { "CMYK JPEG", null },
        { "JPEG with EXIF orientation 6", null },
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task Predict_UploadMatrix_EachFileGetsItsProbabilityOrAClearMessage(string kind, string? error)
    {
        var (name, bytes) = Upload(kind);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);

        var response = await PostAsync([(name, bytes)]);

        var result = Assert.Single(await ResultsAsync(response));
        Assert.Equal(name, result.GetProperty("file").GetString());
        if (error is null)
        {
            Assert.True(result.GetProperty("error").ValueKind == JsonValueKind.Null, $"{kind}: {result.GetProperty("error")}");
            var probability = result.GetProperty("probability").GetDouble();
            Assert.InRange(probability, 0, 1);
            Assert.Equal(probability >= 0.5 ? 1 : 0, result.GetProperty("label").GetInt32());
        }
        else
        {
            Assert.Contains(error, result.GetProperty("error").GetString());
            Assert.StartsWith(name + ":", result.GetProperty("error").GetString());
            Assert.Equal(JsonValueKind.Null, result.GetProperty("probability").ValueKind);
        }
        if (kind.Contains("bomb"))
        {
            // Decoded, the bomb would be 2.7 GB of pixels: refused from its header, it costs next to nothing.
            Assert.True(GC.GetTotalAllocatedBytes(precise: true) - allocated < 1L << 30, "the PNG bomb was decoded");
        }
    }

    [Fact]
    public async Task Predict_TwoFilesOneBad_TheGoodOneIsPredictedAsThePredictorDoesAndTheBadOneSaysWhy()
    {
        var image = TestUploads.Jpeg();

        var response = await PostAsync([("eye.jpg", image), ("notes.jpg", TestUploads.Text())]);

        var results = await ResultsAsync(response);
        Assert.Equal(["eye.jpg", "notes.jpg"], results.Select(r => r.GetProperty("file").GetString()));
        using var predictor = Predictor.Load(fixture.Checkpoint, "cpu");
        var expected = predictor.Predict(image, "eye.jpg").Probability!.Value;
        Assert.Equal(expected, results[0].GetProperty("probability").GetDouble(), 5);
        Assert.Contains("notes.jpg: not a readable image", results[1].GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("none")]
    [InlineData("flip")]
    public async Task Predict_RealImages_AnswersTorchSharpsProbabilitiesTo1e5(string tta)
    {
        var files = Support.OnnxExportModels.RealImages(4, skip: 11).Select(f => (Path.GetFileName(f), File.ReadAllBytes(f))).ToList();

        var results = await ResultsAsync(await PostAsync(files, ("tta", tta)));

        // The answer comes from ONNX Runtime (the app's Predictor runs uploads there); TorchSharp alone must agree.
        using var predictor = Predictor.Load(fixture.Checkpoint, "cpu");
        Assert.False(predictor.UsesOnnxRuntime);
        var augmentation = TestTimeAugmentations.Parse(tta, "tta");
        for (var i = 0; i < files.Count; i++)
        {
            var expected = predictor.Predict(files[i].Item2, files[i].Item1, augmentation).Probability!.Value;
            Assert.InRange(results[i].GetProperty("probability").GetDouble(), expected - 1e-5, expected + 1e-5);
        }
    }

    [Fact]
    public async Task Predict_CamTrue_EachResultCarriesADecodablePngHeatMapUprightAsAViewerShowsTheImage()
    {
        var response = await PostAsync([("rotated.jpg", TestUploads.ExifRotatedJpeg(80, 40)), ("square.jpg", TestUploads.Jpeg(48, 48))], ("cam", "true"));

        var results = await ResultsAsync(response);
        var sizes = results.Select(r =>
        {
            var png = Convert.FromBase64String(r.GetProperty("camPng").GetString()!);
            var info = Image.Identify(png, out var format);
            Assert.IsType<PngFormat>(format);
            return (info.Width, info.Height);
        }).ToList();
        Assert.Equal((40, 80), sizes[0]); // stored 80x40, EXIF orientation 6: shown 40 wide and 80 high
        Assert.Equal((48, 48), sizes[1]);
    }

    [Fact]
    public async Task Predict_CamTrue_SaysTheMapExplainsTheClassOfTheLabelAndSendsThatClassesMap()
    {
        var image = TestUploads.Jpeg(48, 48, seed: 5);
        using var predictor = Predictor.Load(fixture.Checkpoint, "cpu");
        var explanation = predictor.Explain(image, "eye.jpg");

        // At 0.01 the image is labelled pathologic (the fixture's one-epoch model gives its images about 1).
        var result = Assert.Single(await ResultsAsync(await PostAsync([("eye.jpg", image)], ("cam", "true"), ("threshold", "0.01"))));

        Assert.Equal(1, result.GetProperty("label").GetInt32());
        Assert.Equal("pathologic", result.GetProperty("explains").GetString());
        var png = Convert.FromBase64String(result.GetProperty("camPng").GetString()!);
        Assert.Equal(CamImage.HeatMapPng(explanation.MapOf(1), explanation.Size, 48, 48), png);
    }

    [Fact]
    public void PredictedFile_LabelledNotPathologic_CarriesTheMapOfNotPathologicAndSaysSo()
    {
        var cam = new CamImages([1], 10, 10, new ClassCam(1, [11], [12]), new ClassCam(0, [21], [22]));
        var prediction = new FilePrediction("eye.jpg", 0.005, null, cam);

        var atHalf = PredictedFileDto.From(prediction, 0.5);
        var atLow = PredictedFileDto.From(prediction, 0.001);
        var notDrawn = PredictedFileDto.From(prediction with { Cam = cam with { NotPathologic = null } }, 0.5);

        Assert.Equal((0, "not pathologic", Convert.ToBase64String([21])), (atHalf.Label!.Value, atHalf.Explains, atHalf.CamPng));
        Assert.Equal((1, "pathologic", Convert.ToBase64String([11])), (atLow.Label!.Value, atLow.Explains, atLow.CamPng));
        // Never the other class's map under this label.
        Assert.Equal((0, null, null), (notDrawn.Label!.Value, notDrawn.Explains, notDrawn.CamPng));
    }

    [Fact]
    public async Task Predict_WithoutCam_HasNoHeatMap()
    {
        var result = Assert.Single(await ResultsAsync(await PostAsync([("a.jpg", TestUploads.Jpeg())])));

        Assert.Equal(JsonValueKind.Null, result.GetProperty("camPng").ValueKind);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("explains").ValueKind);
    }

    [Fact]
    public async Task Predict_NoCheckpointChosen_UsesTheBestCheckpointOfTheCompletedRunWithTheBestAuc()
    {
        var response = await PostAsync([("a.jpg", TestUploads.Jpeg())]);

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checkpoint = body.RootElement.GetProperty("checkpoint");
        Assert.Equal($"{fixture.Good}:best", checkpoint.GetProperty("id").GetString());
        Assert.Equal("good", checkpoint.GetProperty("run").GetString());
        Assert.Equal("ResNet-18", checkpoint.GetProperty("model").GetString());
        Assert.Equal(32, checkpoint.GetProperty("imageSize").GetInt32());
        Assert.Equal(0.9, checkpoint.GetProperty("auc").GetDouble());
    }

    [Fact]
    public async Task Predict_CheckpointAndThreshold_UsesThatCheckpointAndLabelsAtThatThreshold()
    {
        var response = await PostAsync([("a.jpg", TestUploads.Jpeg()), ("b.jpg", TestUploads.Jpeg(label: 0, seed: 9))],
            ("checkpoint", $"{fixture.Fair}:last"), ("threshold", "0.01"));

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal($"{fixture.Fair}:last", body.RootElement.GetProperty("checkpoint").GetProperty("id").GetString());
        Assert.Equal(0.01, body.RootElement.GetProperty("threshold").GetDouble());
        Assert.All(body.RootElement.GetProperty("results").EnumerateArray(), r =>
        {
            Assert.Equal(0.01, r.GetProperty("threshold").GetDouble());
            Assert.Equal(r.GetProperty("probability").GetDouble() >= 0.01 ? 1 : 0, r.GetProperty("label").GetInt32());
        });
    }

    [Fact]
    public async Task Predict_UnknownCheckpoint_Is404AndAMalformedOneIs400()
    {
        var unknown = await PostAsync([("a.jpg", TestUploads.Jpeg())], ("checkpoint", "9999:best"));
        var malformed = await PostAsync([("a.jpg", TestUploads.Jpeg())], ("checkpoint", "best-one"));

        var problem = await unknown.AssertProblemAsync(HttpStatusCode.NotFound, "unknown checkpoint");
        Assert.Contains("There is no checkpoint 9999:best", problem.Detail);
        await malformed.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed checkpoint");
        Assert.Contains("write RUN:best, RUN:last or RUN:ensemble", await malformed.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("garbage")]
    public async Task Predict_DamagedCheckpoint_Is409NamingTheRunAndNoServerPath(string damage)
    {
        var run = await fixture.AddRunAsync("damaged-" + damage, RunStatus.Failed, 0.1);
        var path = await CheckpointPathAsync(run, CheckpointKind.Best);
        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, damage == "truncated" ? bytes[..(bytes.Length / 2)] : new byte[bytes.Length]);

        var response = await PostAsync([("a.jpg", TestUploads.Jpeg())], ("checkpoint", $"{run}:best"));

        var body = await response.Content.ReadAsStringAsync();
        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict, damage + " checkpoint");
        Assert.Equal($"The best checkpoint of run {run} (damaged-{damage}) is damaged or unreadable, so it cannot predict: choose another checkpoint.", problem.Detail);
        Assert.DoesNotContain(Path.GetDirectoryName(path)!, body);
        Assert.DoesNotContain(Path.GetFileName(path), body);
    }

    [Theory]
    [InlineData("threshold", "1.5", "must be a number between 0 and 1")]
    [InlineData("cam", "maybe", "must be true or false")]
    [InlineData("treshold", "0.3", "is not a field of this request")]
    public async Task Predict_BadField_Is400NamingTheField(string field, string value, string message)
    {
        var response = await PostAsync([("a.jpg", TestUploads.Jpeg())], (field, value));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains(message, body.RootElement.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    [Fact]
    public async Task Predict_NoFileIs400SayingWhatToSendAndNotMultipartIs415()
    {
        var noFile = await PostAsync([], ("cam", "true"));
        var json = await Client.PostAsync("/api/predict", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        await noFile.AssertProblemAsync(HttpStatusCode.BadRequest, "no file");
        Assert.Contains("send one or more image files", await noFile.Content.ReadAsStringAsync());
        // The endpoint accepts multipart/form-data only (its OpenAPI says so): anything else is refused before it runs.
        await json.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "JSON body");
    }

    [Fact]
    public async Task Predict_RequestOverItsBoundOrWithTooManyFiles_Is413()
    {
        var large = TestUploads.Large(25 << 20);
        var tooLarge = await PostAsync([("a.jpg", large), ("b.jpg", large)]);
        var tooMany = await PostAsync(Enumerable.Range(0, 51).Select(i => ($"{i}.jpg", TestUploads.Text())).ToList());

        var problem = await tooLarge.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "two 25 MB files");
        Assert.Contains("larger than the 40 MB", problem.Detail);
        problem = await tooMany.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "51 files");
        Assert.Contains("at most 50 files", problem.Detail);
    }

    [Fact]
    public async Task Predict_FileNameWithAPath_IsEchoedAsItsLastSegmentOnly()
    {
        var result = Assert.Single(await ResultsAsync(await PostAsync([("..\\..\\secret\\eye.jpg", TestUploads.Jpeg())])));

        Assert.Equal("eye.jpg", result.GetProperty("file").GetString());
    }

    [Fact]
    public async Task Predict_NoTrainedRunAtAll_Is404SayingToTrainARunFirst()
    {
        await using var empty = new PalmLabAppFactory();
        using var client = empty.CreateClient();

        var response = await PostAsync([("a.jpg", TestUploads.Jpeg())], client: client);

        var problem = await response.AssertProblemAsync(HttpStatusCode.NotFound, "no checkpoint");
        Assert.Contains("train a run first", problem.Detail);
    }

    private static (string Name, byte[] Bytes) Upload(string kind) => kind switch
    {
        "empty" => ("empty.jpg", []),
        "text renamed .jpg" => ("notes.jpg", TestUploads.Text()),
        "truncated JPEG" => ("cut.jpg", TestUploads.TruncatedJpeg()),
        "25 MB file" => ("huge.jpg", TestUploads.Large(25 << 20)),
        "30000x30000 PNG bomb" => ("bomb.png", TestUploads.PngBomb()),
        "PNG with alpha" => ("alpha.png", TestUploads.PngWithAlpha()),
        "greyscale JPEG" => ("grey.jpg", TestUploads.GreyscaleJpeg()),
        "CMYK JPEG" => ("cmyk.jpg", TestUploads.CmykJpeg()),
        "JPEG with EXIF orientation 6" => ("rotated.jpg", TestUploads.ExifRotatedJpeg()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private async Task<HttpResponseMessage> PostAsync(
        IReadOnlyList<(string Name, byte[] Bytes)> files, params (string Field, string Value)[] fields) => await PostAsync(files, null, fields);

    private async Task<HttpResponseMessage> PostAsync(
        IReadOnlyList<(string Name, byte[] Bytes)> files, HttpClient? client, params (string Field, string Value)[] fields)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, bytes) in files)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(content, "file", name);
        }
        foreach (var (field, value) in fields)
        {
            form.Add(new StringContent(value), field);
        }
        // As curl sends a large body: the server may refuse it (413) before the body goes out. Without it, a refusal while
        // the client still sends (Kestrel closes the connection) reaches the client as a broken pipe, not as the answer.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/predict") { Content = form };
        request.Headers.ExpectContinue = true;
        return await (client ?? Client).SendAsync(request);
    }

    private async Task<string> CheckpointPathAsync(int runId, CheckpointKind kind)
    {
        var dbFactory = fixture.App.Services.GetRequiredService<IDbContextFactory<PalmLabDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        return await db.Checkpoints.Where(c => c.RunId == runId && c.Kind == kind).Select(c => c.Path).SingleAsync();
    }

    private static async Task<List<JsonElement>> ResultsAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("results").EnumerateArray().ToList();
    }
}
