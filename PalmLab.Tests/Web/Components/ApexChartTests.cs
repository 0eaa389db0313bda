using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using PalmLab.Web.Components.Shared;

namespace PalmLab.Tests.Web.Components;

public sealed class ApexChartTests : ComponentTestBase
{
    private readonly BunitJSModuleInterop _module;

    public ApexChartTests() => _module = JSInterop.SetupModule(ApexChart.ModulePath);

    private static IReadOnlyList<ChartSeries> Loss(params double[] values) =>
        [new ChartSeries("loss", values.Select((y, i) => new ChartPoint(i + 1, y)).ToList())];

    [Fact]
    public void Render_WithSeries_ImportsChartsModuleAndCreatesTheChartWithThem()
    {
        var cut = Render<ApexChart>(p => p
            .Add(c => c.Series, Loss(0.9, 0.5))
            .Add(c => c.XAxisTitle, "step")
            .Add(c => c.YAxisTitle, "loss")
            .Add(c => c.Dark, true));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(ApexChart.ModulePath, JSInterop.VerifyInvoke("import").Arguments[0]);
            var create = _module.VerifyInvoke("create");
            Assert.IsType<ElementReference>(create.Arguments[0]);
            var config = Assert.IsType<ChartConfig>(create.Arguments[1]);
            Assert.Equal("line", config.Type);
            Assert.Equal(("step", "loss", true, false), (config.XAxisTitle, config.YAxisTitle, config.Dark, config.LogScale));
            var series = Assert.Single(config.Series!);
            Assert.Equal("loss", series.Name);
            Assert.Equal([new ChartPointData(1, 0.9), new ChartPointData(2, 0.5)], series.Data);
        });
    }

    [Fact]
    public void Render_NewSeriesList_UpdatesTheChartInPlace()
    {
        var cut = Render<ApexChart>(p => p.Add(c => c.Series, Loss(0.9)));
        cut.WaitForAssertion(() => _module.VerifyInvoke("create"));

        cut.Render(p => p.Add(c => c.Series, Loss(0.9, 0.4)));

        cut.WaitForAssertion(() =>
        {
            var config = Assert.IsType<ChartConfig>(_module.VerifyInvoke("update").Arguments[1]);
            Assert.Equal([new ChartPointData(1, 0.9), new ChartPointData(2, 0.4)], Assert.Single(config.Series!).Data);
            _module.VerifyInvoke("create", calledTimes: 1);
        });
    }

    [Fact]
    public void Render_SameSeriesAndOptions_SendsNothing()
    {
        var series = Loss(0.9, 0.4);
        var cut = Render<ApexChart>(p => p.Add(c => c.Series, series));
        cut.WaitForAssertion(() => _module.VerifyInvoke("create"));

        cut.Render(p => p.Add(c => c.Series, series.ToList()));

        cut.WaitForAssertion(() => Assert.Equal(["create"], _module.Invocations.Select(i => i.Identifier)));
    }

    [Fact]
    public void Render_OnlyDarkChanged_SetsTheThemeWithoutResendingTheSeries()
    {
        var cut = Render<ApexChart>(p => p.Add(c => c.Series, Loss(0.9)));
        cut.WaitForAssertion(() => _module.VerifyInvoke("create"));

        cut.Render(p => p.Add(c => c.Dark, true));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal(true, _module.VerifyInvoke("setTheme").Arguments[1]);
            Assert.Empty(_module.Invocations["update"]);
        });
    }

    [Fact]
    public void Render_LogScaleTurnedOn_ResendsSeriesWithoutNonPositiveValues()
    {
        var cut = Render<ApexChart>(p => p.Add(c => c.Series, Loss(0.5, 0, double.NaN)));
        cut.WaitForAssertion(() => _module.VerifyInvoke("create"));

        cut.Render(p => p.Add(c => c.LogScale, true));

        cut.WaitForAssertion(() =>
        {
            var config = Assert.IsType<ChartConfig>(_module.VerifyInvoke("update").Arguments[1]);
            Assert.True(config.LogScale);
            Assert.Equal(
                [new ChartPointData(1, 0.5), new ChartPointData(2, null), new ChartPointData(3, null)],
                Assert.Single(config.Series!).Data);
        });
    }

    [Fact]
    public async Task DisposeAsync_AfterCreate_DisposesTheChart()
    {
        var cut = Render<ApexChart>(p => p.Add(c => c.Series, Loss(0.9)));
        cut.WaitForAssertion(() => _module.VerifyInvoke("create"));

        await DisposeComponentsAsync();

        Assert.IsType<ElementReference>(_module.VerifyInvoke("dispose").Arguments[0]);
    }

    [Fact]
    public async Task DisposeAsync_CircuitGone_DoesNotThrow()
    {
        _module.SetupVoid("dispose").SetException(new JSDisconnectedException("The circuit has disconnected."));
        var cut = Render<ApexChart>(p => p.Add(c => c.Series, Loss(0.9)));
        cut.WaitForAssertion(() => _module.VerifyInvoke("create"));

        await DisposeComponentsAsync();

        _module.VerifyInvoke("dispose");
    }

    [Fact]
    public void Render_StyledLiveChart_SendsStylesMarkersAndTheLiveRun()
    {
        IReadOnlyList<ChartSeries> series =
        [
            new ChartSeries("Batch loss", [new ChartPoint(1, 0.9)], Color: "palette:0", Width: 1, Opacity: 0.3),
            new ChartSeries("Learning rate", [new ChartPoint(1, 0.0)], RightAxis: true),
        ];
        var cut = Render<ApexChart>(p => p
            .Add(c => c.Series, series)
            .Add(c => c.LogScale, true)
            .Add(c => c.IntegerX, true)
            .Add(c => c.XMarkers, [new ChartMarker(4.5, "E2")])
            .Add(c => c.Live, new ChartLive(7, 0.6)));

        cut.WaitForAssertion(() =>
        {
            var config = Assert.IsType<ChartConfig>(_module.VerifyInvoke("create").Arguments[1]);
            Assert.Equal(new ChartLive(7, 0.6), config.Live);
            Assert.True(config.IntegerX);
            Assert.Equal([new ChartMarker(4.5, "E2")], config.XMarkers);
            var (loss, lr) = (config.Series![0], config.Series[1]);
            Assert.Equal(("palette:0", 1.0, 0.3, false), (loss.Color, loss.Width!.Value, loss.Opacity!.Value, loss.RightAxis));
            // The right axis is never logarithmic: its zero stays a value, not a gap.
            Assert.Equal([new ChartPointData(1, 0.0)], lr.Data);
            Assert.True(lr.RightAxis);
        });
    }

    [Fact]
    public void Render_OnlyTheSmoothingChanged_UpdatesOptionsWithoutResendingTheSeries()
    {
        var series = Loss(0.9, 0.5);
        var cut = Render<ApexChart>(p => p.Add(c => c.Series, series).Add(c => c.Live, new ChartLive(3, 0.6)));
        cut.WaitForAssertion(() => _module.VerifyInvoke("create"));

        cut.Render(p => p.Add(c => c.Series, series).Add(c => c.Live, new ChartLive(3, 0.9)));

        cut.WaitForAssertion(() =>
        {
            var config = Assert.IsType<ChartConfig>(_module.VerifyInvoke("update").Arguments[1]);
            Assert.Null(config.Series);
            Assert.Equal(0.9, config.Live!.Smoothing);
        });
    }
}
