// The one interop module for every chart (ApexCharts 4.7, loaded by App.razor as window.ApexCharts).
// Components/Shared/ApexChart.razor is its only caller: pages describe series and options in C#,
// and the mapping to ApexCharts options lives here, once.

// element -> { chart, config }: the last config, so appended points get the same log treatment and axis.
const charts = new WeakMap();

// Calm, distinguishable series colours; the dark set is lighter so lines keep their contrast.
const palette = {
  light: ['#2b6c8f', '#c8743e', '#4f8a74', '#8a6a9c', '#b8962e', '#5b6b7a'],
  dark: ['#7cb8d6', '#e0a072', '#86c2a9', '#b99ccc', '#dcc06a', '#a3b1bf'],
};

function themeOptions(dark) {
  return {
    chart: { background: 'transparent', foreColor: dark ? '#b8c4cc' : '#44525c' },
    theme: { mode: dark ? 'dark' : 'light' },
    colors: dark ? palette.dark : palette.light,
    grid: { borderColor: dark ? 'rgba(255,255,255,0.08)' : 'rgba(0,0,0,0.08)' },
    tooltip: { theme: dark ? 'dark' : 'light' },
  };
}

function formatNumber(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(2);
  return Number.parseFloat(value.toPrecision(4)).toString();
}

// ApexCharts 4.7's own logarithmic axis draws nothing for values below 1 (apexcharts.js issues #1341, #3227), and
// losses live there. So a log chart plots log10(y) on a linear axis whose labels and tooltips show 10^v.
const toLog = y => (typeof y === 'number' && y > 0 ? Math.log10(y) : null);

function toPoints(points, log) {
  return points.map(p => ({ x: p.x, y: log ? toLog(p.y) : p.y }));
}

function toSeries(series, log) {
  return (series ?? []).map(s => ({ name: s.name, data: toPoints(s.data, log) }));
}

// Whole decades around the (already log10) data, one tick per decade, or per half decade when the data spans one.
function logAxis(plotted) {
  const ys = plotted.flatMap(s => s.data.map(p => p.y)).filter(y => typeof y === 'number');
  if (ys.length === 0) return {};
  const min = Math.floor(Math.min(...ys));
  const max = Math.max(min + 1, Math.ceil(Math.max(...ys)));
  const decades = max - min;
  return { min, max, tickAmount: decades === 1 ? 2 : Math.min(decades, 8) };
}

// Options that depend on the component's parameters, series excluded.
function baseOptions(config) {
  const scatter = config.type === 'scatter';
  return {
    chart: {
      type: config.type,
      height: config.height,
      animations: { enabled: false },
      zoom: { enabled: true, type: 'x' },
      toolbar: { show: true, tools: { download: true, zoom: true, zoomin: false, zoomout: false, pan: false, reset: true } },
      redrawOnWindowResize: true,
      redrawOnParentResize: true,
      fontFamily: 'inherit',
    },
    stroke: { width: scatter ? 0 : 2, curve: 'straight' },
    markers: { size: scatter ? 4 : 0, hover: { size: 4 } },
    dataLabels: { enabled: false },
    legend: { show: true, position: 'top', horizontalAlign: 'left' },
    xaxis: {
      type: 'numeric',
      title: { text: config.xAxisTitle ?? undefined },
      labels: { formatter: v => formatNumber(v) },
      tooltip: { enabled: false },
    },
    yaxis: {
      title: { text: config.yAxisTitle ?? undefined },
      labels: { formatter: v => formatNumber(config.logScale ? 10 ** v : v) },
      // Reset when the log scale is turned off; logAxis fills them in when it is on.
      min: undefined,
      max: undefined,
      tickAmount: undefined,
    },
    tooltip: {
      shared: !scatter,
      intersect: scatter,
      x: { formatter: v => (config.xAxisTitle ? `${config.xAxisTitle} ` : '') + formatNumber(v) },
      y: { formatter: v => formatNumber(config.logScale && typeof v === 'number' ? 10 ** v : v) },
    },
    noData: { text: config.noDataText ?? 'No data yet' },
  };
}

function merge(target, source) {
  for (const [key, value] of Object.entries(source)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && typeof value !== 'function') {
      target[key] = merge(target[key] && typeof target[key] === 'object' ? target[key] : {}, value);
    } else {
      target[key] = value;
    }
  }
  return target;
}

// plotted: the series as drawn (log10 already applied), for the log axis's range.
function fullOptions(config, plotted) {
  const options = merge(baseOptions(config), themeOptions(config.dark));
  if (config.logScale) merge(options.yaxis, logAxis(plotted));
  return options;
}

export async function create(element, config) {
  dispose(element);
  if (typeof window.ApexCharts !== 'function') {
    throw new Error('ApexCharts is not loaded: App.razor must include lib/apexcharts/apexcharts.min.js.');
  }
  const series = toSeries(config.series, config.logScale);
  const options = fullOptions(config, series);
  options.series = series;
  const chart = new window.ApexCharts(element, options);
  charts.set(element, { chart, config: { ...config, series: null } });
  await chart.render();
}

// config has the same shape as create's; series is null when only the options changed.
export async function update(element, config) {
  const entry = charts.get(element);
  if (!entry) return;
  // The component re-sends the series whenever the log scale changes, so the drawn ones are in the right form.
  const series = config.series ? toSeries(config.series, config.logScale) : entry.chart.w.config.series;
  const options = fullOptions(config, series);
  if (config.series) options.series = series;
  entry.config = { ...config, series: null };
  await entry.chart.updateOptions(options, false, false);
}

// pointsPerSeries[i] is appended to series i, in the order the series were given.
export function append(element, pointsPerSeries) {
  const entry = charts.get(element);
  if (!entry) return;
  const log = !!entry.config.logScale;
  entry.chart.appendData(pointsPerSeries.map(points => ({ data: toPoints(points, log) })));
  if (!log) return;
  // A log axis has fixed decades: widen them when the new points fall outside.
  const before = entry.chart.w.config.yaxis[0];
  const after = logAxis(entry.chart.w.config.series);
  if (after.min !== before.min || after.max !== before.max) {
    entry.chart.updateOptions(fullOptions(entry.config, entry.chart.w.config.series), false, false);
  }
}

export async function setTheme(element, dark) {
  const entry = charts.get(element);
  if (!entry) return;
  await entry.chart.updateOptions(themeOptions(dark), false, false);
}

export function dispose(element) {
  const entry = charts.get(element);
  if (!entry) return;
  charts.delete(element);
  entry.chart.destroy();
}
