// The one interop module for every chart (ApexCharts 4.7, loaded by App.razor as window.ApexCharts).
// Components/Shared/ApexChart.razor is its only caller: pages describe series and options in C#,
// and the mapping to ApexCharts options lives here, once.

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

function toSeries(series) {
  return (series ?? []).map(s => ({ name: s.name, data: s.data.map(p => ({ x: p.x, y: p.y })) }));
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
      logarithmic: !!config.logScale,
      title: { text: config.yAxisTitle ?? undefined },
      labels: { formatter: v => formatNumber(v) },
    },
    tooltip: {
      shared: !scatter,
      intersect: scatter,
      x: { formatter: v => (config.xAxisTitle ? `${config.xAxisTitle} ` : '') + formatNumber(v) },
      y: { formatter: v => formatNumber(v) },
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

function fullOptions(config) {
  return merge(baseOptions(config), themeOptions(config.dark));
}

export async function create(element, config) {
  dispose(element);
  if (typeof window.ApexCharts !== 'function') {
    throw new Error('ApexCharts is not loaded: App.razor must include lib/apexcharts/apexcharts.min.js.');
  }
  const options = fullOptions(config);
  options.series = toSeries(config.series);
  const chart = new window.ApexCharts(element, options);
  charts.set(element, chart);
  await chart.render();
}

// config has the same shape as create's; series is null when only the options changed.
export async function update(element, config) {
  const chart = charts.get(element);
  if (!chart) return;
  const options = fullOptions(config);
  if (config.series) options.series = toSeries(config.series);
  await chart.updateOptions(options, false, false);
}

// pointsPerSeries[i] is appended to series i, in the order the series were given.
export function append(element, pointsPerSeries) {
  const chart = charts.get(element);
  if (!chart) return;
  chart.appendData(pointsPerSeries.map(points => ({ data: points.map(p => ({ x: p.x, y: p.y })) })));
}

export async function setTheme(element, dark) {
  const chart = charts.get(element);
  if (!chart) return;
  await chart.updateOptions(themeOptions(dark), false, false);
}

export function dispose(element) {
  const chart = charts.get(element);
  if (!chart) return;
  charts.delete(element);
  chart.destroy();
}
