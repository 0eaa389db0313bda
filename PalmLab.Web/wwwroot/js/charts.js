// The one interop module for every chart (ApexCharts 4.7, loaded by App.razor as window.ApexCharts).
// Components/Shared/ApexChart.razor is its only caller: pages describe series and options in C#,
// and the mapping to ApexCharts options lives here, once. A live loss chart keeps its points here (live.js).
import * as live from './live.js';

// element -> { chart, config, live }: the last config (series left out), so updates and appends reuse it.
const charts = new WeakMap();

// Calm, distinguishable series colours; the dark set is lighter so lines keep their contrast.
const palette = {
  // Ten, so that a comparison of ten runs never repeats a colour.
  light: ['#2b6c8f', '#c8743e', '#4f8a74', '#8a6a9c', '#b8962e', '#5b6b7a', '#b5525c', '#3f9aa8', '#7a8a2e', '#9c5a86'],
  dark: ['#7cb8d6', '#e0a072', '#86c2a9', '#b99ccc', '#dcc06a', '#a3b1bf', '#e58c94', '#7fd0dc', '#b7c66a', '#d49ac2'],
};

const lrName = 'Learning rate';

// Series names are the users' text (a run's name in a comparison), and ApexCharts 4.7 writes a series' name into HTML
// (innerHTML) in several places: the legend, its default tooltip rows (even under a custom tooltip), the legend's
// hover text. So the names are escaped once, where ApexCharts gets them (plot, yAxes), and the custom tooltip escapes
// what it writes itself. Axis titles, annotation labels, tick labels and "no data" are SVG text nodes, never parsed:
// escaping those would show the entities.
const escapes = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = text => String(text ?? '').replace(/[&<>"']/g, c => escapes[c]);

function themeOptions(dark) {
  return {
    chart: { background: 'transparent', foreColor: dark ? '#b8c4cc' : '#44525c' },
    theme: { mode: dark ? 'dark' : 'light' },
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

// "palette:N" follows the theme; any other colour is taken as given. Opacity is folded into the colour, since
// ApexCharts 4.7 has no per-series stroke opacity for lines.
function colour(style, index, dark) {
  const set = dark ? palette.dark : palette.light;
  const slot = /^palette:(\d+)$/.exec(style.color ?? '');
  const hex = style.color && !slot ? style.color : set[(slot ? Number(slot[1]) : index) % set.length];
  const opacity = style.opacity ?? 1;
  if (opacity >= 1 || !/^#[0-9a-f]{6}$/i.test(hex)) return hex;
  const [r, g, b] = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16));
  return `rgba(${r},${g},${b},${opacity})`;
}

// ApexCharts 4.7's own logarithmic axis draws nothing for values below 1 (apexcharts.js issues #1341, #3227), and
// losses live there. So a log chart plots log10(y) on a linear axis whose labels and tooltips show 10^v.
const toLog = y => (typeof y === 'number' && y > 0 ? Math.log10(y) : null);

const logged = (style, config) => config.logScale && !style.rightAxis;

// A log x axis (a sweep's log range) is plotted the same way: log10(x) on a linear axis labelled 10^v.
function toPoints(points, log, logX) {
  return points.map(p => ({ x: logX ? toLog(p.x) : p.x, y: log ? toLog(p.y) : p.y }));
}

// A band (ChartSeries.Range): ApexCharts' rangeArea takes [low, high] as y.
function toRange(ranges, log) {
  return ranges.map(r => ({ x: r.x, y: log ? [toLog(r.low), toLog(r.high)] : [r.low, r.high] }));
}

// A chart with a band is a rangeArea chart whose other series are lines (ApexCharts 4.7 combines only so).
const hasBand = styles => styles.some(s => s.range);

// The series as ApexCharts draws them: a live chart's first two (and its learning rate) come from the points it holds.
function plot(styles, config, held) {
  return styles.map((s, i) => {
    let data = s.data;
    if (held && i === 0) data = held.points;
    else if (held && i === 1) data = held.points.map((p, j) => ({ x: p.x, y: held.smoothed[j] }));
    else if (held && s.name === lrName) data = held.points.map(p => ({ x: p.x, y: p.lr }));
    if (s.range) return { name: escapeHtml(s.name), type: 'rangeArea', data: toRange(s.range, logged(s, config)) };
    const series = { name: escapeHtml(s.name), data: toPoints(data, logged(s, config), config.logX) };
    return hasBand(styles) ? { ...series, type: 'line' } : series;
  });
}

// Whole decades around the (already log10) data, one tick per decade, or per half decade when the data spans one.
function logAxis(plotted) {
  const ys = plotted.flatMap(s => s.data.flatMap(p => [p.y].flat())).filter(y => typeof y === 'number');
  if (ys.length === 0) return {};
  const min = Math.floor(Math.min(...ys));
  const max = Math.max(min + 1, Math.ceil(Math.max(...ys)));
  const decades = max - min;
  return { min, max, tickAmount: decades === 1 ? 2 : Math.min(decades, 8) };
}

// A y axis that ends at the values' ceiling (1 for AUC or accuracy) and starts a tenth of a step below the lowest value,
// so close values stay apart and equal ones do not stretch the axis past what they can reach.
function cappedAxis(plotted, yMax) {
  const ys = plotted.flatMap(s => s.data.flatMap(p => [p.y].flat())).filter(y => typeof y === 'number');
  if (ys.length === 0) return { max: yMax };
  const low = Math.min(...ys);
  const min = Math.max(0, Math.floor((low - Math.max(0.05, (yMax - low) * 0.2)) * 20) / 20);
  return { min, max: yMax, tickAmount: 5, forceNiceScale: false };
}

// Whole-number x ticks: the range widened to a multiple of a 1, 2 or 5 step, so that about ten ticks land on whole numbers.
function integerAxis(plotted) {
  let min = Infinity;
  let max = -Infinity;
  for (const s of plotted) for (const p of s.data) { min = Math.min(min, p.x); max = Math.max(max, p.x); }
  if (!Number.isFinite(min) || max - min < 1) return {};
  const rough = (max - min) / 10;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(1, rough)));
  const step = [1, 2, 5, 10].map(f => f * magnitude).find(s => s >= rough) ?? 10 * magnitude;
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step) * step;
  return { min: lo, max: hi, tickAmount: Math.round((hi - lo) / step) };
}

function yAxes(config, styles, plotted) {
  const left = styles.filter(s => !s.rightAxis);
  const right = styles.filter(s => s.rightAxis);
  const leftAxis = {
    seriesName: left.map(s => escapeHtml(s.name)),
    title: { text: config.yAxisTitle ?? undefined },
    labels: { formatter: v => formatNumber(config.logScale ? 10 ** v : v) },
    min: undefined,
    max: undefined,
    tickAmount: undefined,
    forceNiceScale: !config.logScale,
  };
  if (config.yMax != null) Object.assign(leftAxis, cappedAxis(plotted.filter((_, i) => !styles[i].rightAxis), config.yMax));
  if (config.logScale) Object.assign(leftAxis, logAxis(plotted.filter((_, i) => !styles[i].rightAxis)));
  if (right.length === 0) return [leftAxis];
  return [leftAxis, {
    seriesName: right.map(s => escapeHtml(s.name)),
    opposite: true,
    title: { text: config.rightAxisTitle ?? undefined },
    labels: { formatter: v => (typeof v === 'number' ? v.toExponential(1) : '–') },
    forceNiceScale: true,
  }];
}

// One row per series at the hovered x (a series without a point there is left out), so lines of different steps
// (batches, epochs) never show each other's values.
function tooltip(config, styles) {
  return ({ dataPointIndex, seriesIndex, w }) => {
    const x = w.config.series[seriesIndex]?.data[dataPointIndex]?.x;
    if (x === undefined) return '';
    const rows = w.config.series.map((s, i) => {
      const point = s.data.find(p => p.x === x);
      const unlog = v => formatNumber(logged(styles[i] ?? {}, config) ? 10 ** v : v);
      if (point && Array.isArray(point.y) && typeof point.y[0] === 'number') {
        const dot = `<span style="display:inline-block;width:8px;height:8px;border-radius:4px;margin-right:6px;background:${escapeHtml(w.globals.colors[i])};opacity:0.4"></span>`;
        return `<div class="palmlab-tip-row">${dot}${escapeHtml(styles[i]?.name)}: <b>${unlog(point.y[0])} – ${unlog(point.y[1])}</b></div>`;
      }
      if (!point || typeof point.y !== 'number') return '';
      const value = styles[i]?.rightAxis ? point.y.toExponential(2) : unlog(point.y);
      const dot = `<span style="display:inline-block;width:8px;height:8px;border-radius:4px;margin-right:6px;background:${escapeHtml(w.globals.colors[i])}"></span>`;
      return `<div class="palmlab-tip-row">${dot}${escapeHtml(styles[i]?.name)}: <b>${value}</b></div>`;
    }).join('');
    return `<div class="palmlab-tip"><div class="palmlab-tip-title">${escapeHtml(config.xAxisTitle)} ${formatNumber(config.logX ? 10 ** x : x)}</div>${rows}</div>`;
  };
}

function markers(config) {
  const line = config.dark ? 'rgba(255,255,255,0.22)' : 'rgba(0,0,0,0.18)';
  return (config.xMarkers ?? []).map(m => ({
    x: m.x,
    borderColor: line,
    strokeDashArray: 4,
    label: {
      text: m.label,
      orientation: 'horizontal',
      position: 'top',
      borderWidth: 0,
      style: { background: 'transparent', color: config.dark ? '#8e9ba5' : '#6b7780', fontSize: '11px' },
    },
  }));
}

// Every option but the series, from the config, the series' styles and the series as plotted.
function options(config, styles, plotted) {
  const scatter = config.type === 'scatter';
  const band = hasBand(styles);
  const width = styles.map(s => (s.range ? 0 : s.width ?? (scatter ? 0 : 2)));
  const result = merge({
    chart: {
      type: band ? 'rangeArea' : config.type,
      height: config.height,
      animations: { enabled: false },
      zoom: { enabled: true, type: 'x' },
      toolbar: { show: true, tools: { download: true, zoom: true, zoomin: false, zoomout: false, pan: false, reset: true } },
      redrawOnWindowResize: true,
      redrawOnParentResize: true,
      fontFamily: 'inherit',
    },
    colors: styles.map((s, i) => colour(s.range ? { ...s, opacity: 1 } : s, i, config.dark)),
    stroke: { width, curve: 'straight' },
    ...(band ? { fill: { opacity: styles.map(s => (s.range ? s.opacity ?? 0.2 : 1)) } } : {}),
    markers: { size: styles.map(s => s.markers ?? (scatter ? 4 : 0)), hover: { sizeOffset: 3 } },
    dataLabels: { enabled: false },
    legend: { show: true, position: 'bottom', horizontalAlign: 'center' },
    xaxis: {
      type: 'numeric',
      title: { text: config.xAxisTitle ?? undefined },
      labels: { formatter: v => (config.integerX ? Math.round(v).toLocaleString('en-US') : formatNumber(config.logX ? 10 ** v : v)) },
      ...(config.integerX ? integerAxis(plotted) : { min: undefined, max: undefined, tickAmount: undefined }),
      decimalsInFloat: config.integerX ? 0 : undefined,
      tooltip: { enabled: false },
      // The tooltip names the step; ApexCharts 4.7 places the crosshair of a custom tooltip wrongly.
      crosshairs: { show: false },
    },
    yaxis: yAxes(config, styles, plotted),
    annotations: { xaxis: markers(config) },
    tooltip: {
      shared: false,
      intersect: scatter,
      custom: tooltip(config, styles),
    },
    noData: { text: config.noDataText ?? 'No data yet' },
  }, themeOptions(config.dark));
  return result;
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

// The series' styles and original (unlogged) data, kept so that an options-only update can redraw them.
const stylesOf = series => (series ?? []).map(s => ({ ...s, data: s.data }));

// A live chart's points: those given, then any streamed ones beyond them (a re-sent series must not drop them).
function hold(entry, config, styles) {
  if (!config.live) return null;
  const previous = entry?.live;
  const lr = styles.find(s => s.name === lrName)?.data ?? [];
  const lrAt = new Map(lr.map(p => [p.x, p.y]));
  let points = (styles[0]?.data ?? []).map(p => ({ x: p.x, y: p.y, lr: lrAt.get(p.x) ?? null }));
  if (previous) {
    const last = points.length > 0 ? points[points.length - 1].x : -Infinity;
    points = points.concat(previous.points.filter(p => p.x > last));
  }
  const held = { points: live.thin(points, live.maxPoints), weight: config.live.smoothing, state: { last: 0, count: 0 } };
  held.smoothed = live.ema(held.points.map(p => p.y), held.weight, held.state);
  held.runId = config.live.runId ?? null;
  held.stream = previous?.runId === held.runId ? previous.stream : null;
  if (previous?.stream && previous.runId !== held.runId) previous.stream.stop();
  return held;
}

function stream(element, entry) {
  const held = entry.live;
  if (!held || held.runId === null || held.stream) return;
  element.dataset.live = 'connecting';
  held.stream = live.connect(
    held.runId,
    () => (entry.live.points.length > 0 ? entry.live.points[entry.live.points.length - 1].x : 0),
    points => appendLive(element, points),
    state => { element.dataset.live = state; });
}

function draw(element, entry) {
  const plotted = plot(entry.styles, entry.config, entry.live);
  const opts = options(entry.config, entry.styles, plotted);
  opts.series = plotted;
  entry.xMax = opts.xaxis.max;
  if (entry.live) element.dataset.points = String(entry.live.points.length);
  return opts;
}

export async function create(element, config) {
  dispose(element);
  if (typeof window.ApexCharts !== 'function') {
    throw new Error('ApexCharts is not loaded: App.razor must include lib/apexcharts/apexcharts.min.js.');
  }
  const styles = stylesOf(config.series);
  const entry = { config: { ...config, series: null }, styles, live: null };
  entry.live = hold(null, config, styles);
  entry.chart = new window.ApexCharts(element, draw(element, entry));
  charts.set(element, entry);
  await entry.chart.render();
  stream(element, entry);
}

// config has the same shape as create's; series is null when only the options changed. A live chart keeps the
// points it streamed beyond the (re-)sent ones, and re-smooths them with the current weight.
export async function update(element, config) {
  const entry = charts.get(element);
  if (!entry) return;
  if (config.series) entry.styles = stylesOf(config.series);
  entry.config = { ...config, series: null };
  const held = hold(entry, config, entry.styles);
  if (!held) entry.live?.stream?.stop();
  entry.live = held;
  await entry.chart.updateOptions(draw(element, entry), false, false);
  stream(element, entry);
}

// New batches for a live chart: appended to the loss, its EMA and the learning rate without redrawing the rest,
// unless the held curve grew past live.maxPoints (then it is thinned and redrawn).
function appendLive(element, points) {
  const entry = charts.get(element);
  if (!entry?.live) return;
  const held = entry.live;
  held.points.push(...points);
  const smoothed = live.ema(points.map(p => p.y), held.weight, held.state);
  held.smoothed.push(...smoothed);
  // A full redraw when the axes must change: past the held maximum, on a log axis (its decades), past the fixed x range.
  const pastRange = entry.xMax !== undefined && points[points.length - 1].x > entry.xMax;
  if (held.points.length > live.maxPoints || pastRange || entry.config.logScale || entry.chart.w.config.series[0].data.length === 0) {
    if (held.points.length > live.maxPoints) {
      held.points = live.thin(held.points, live.maxPoints / 2);
      held.state = { last: 0, count: 0 };
      held.smoothed = live.ema(held.points.map(p => p.y), held.weight, held.state);
    }
    entry.chart.updateOptions(draw(element, entry), false, false);
    return;
  }
  const additions = entry.styles.map((s, i) => {
    if (i === 0) return { data: points.map(p => ({ x: p.x, y: p.y })) };
    if (i === 1) return { data: points.map((p, j) => ({ x: p.x, y: smoothed[j] })) };
    if (s.name === lrName) return { data: points.map(p => ({ x: p.x, y: p.lr })) };
    return { data: [] };
  });
  entry.chart.appendData(additions);
  element.dataset.points = String(held.points.length);
}

export async function setTheme(element, dark) {
  const entry = charts.get(element);
  if (!entry) return;
  entry.config = { ...entry.config, dark };
  await entry.chart.updateOptions(draw(element, entry), false, false);
}

export function dispose(element) {
  const entry = charts.get(element);
  if (!entry) return;
  charts.delete(element);
  entry.live?.stream?.stop();
  entry.chart.destroy();
}
