// Charts with ECharts from its WebJar (/console/vendor/). Every chart names its unit on the axis and
// in the tooltip, and carries a sentence for screen readers; the table beside it has the numbers.
import * as echarts from '../vendor/echarts.esm.min.js';
import { int, short, usd, usdShort } from './format.js';

const live = new Set();
const palette = ['#2f6fb3', '#d9822b', '#3f9b6f', '#a3519b', '#c4423c', '#6c7a89', '#8c6d31', '#17a2b8', '#5b5fc7', '#9aa53a'];

window.addEventListener('resize', () => live.forEach((c) => c.resize()));

export const UNITS = {
  usd: { label: 'US dollars', axis: usdShort, value: usd },
  requests: { label: 'requests', axis: short, value: int },
  tokens: { label: 'tokens', axis: short, value: (v) => `${int(v)} tokens` },
  people: { label: 'people', axis: short, value: int },
};

/** Disposes every chart (called when the page changes). */
export function disposeAll() {
  live.forEach((c) => c.dispose());
  live.clear();
}

function mount(el, option, description) {
  if (!el || !el.isConnected) return null; // the page was left before its data came
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', description);
  const chart = echarts.init(el, null, { renderer: 'svg' });
  chart.setOption({ color: palette, animationDuration: 300, textStyle: { fontFamily: 'inherit' }, ...option });
  live.add(chart);
  return chart;
}

/**
 * Values over time (or over any categories): series [{name, data, type?, stack?, dashed?}].
 * unit: usd | requests | tokens.
 */
export function timeChart(el, { categories, series, unit = 'usd', description, yName }) {
  const u = UNITS[unit];
  return mount(el, {
    grid: { left: 64, right: 24, top: 40, bottom: 48 },
    legend: series.length > 1 ? { top: 0, right: 8, left: 80, type: 'scroll', itemGap: 24 } : undefined,
    tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '—' : u.value(v)) },
    xAxis: { type: 'category', data: categories, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', name: yName || u.label, nameTextStyle: { align: 'left' }, axisLabel: { formatter: u.axis } },
    series: series.map((s) => ({
      name: s.name,
      type: s.type || 'bar',
      stack: s.stack,
      data: s.data,
      smooth: false,
      showSymbol: s.type === 'line' && s.data.length < 40,
      lineStyle: s.dashed ? { type: 'dashed' } : undefined,
      itemStyle: s.color ? { color: s.color } : undefined,
      emphasis: { focus: 'series' },
    })),
  }, description);
}

/** A ranking: labels with one value each, largest first, as horizontal bars. */
export function rankChart(el, { labels, values, unit = 'usd', description }) {
  const u = UNITS[unit];
  return mount(el, {
    grid: { left: 130, right: 64, top: 8, bottom: 24 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: u.value },
    xAxis: { type: 'value', axisLabel: { formatter: u.axis, hideOverlap: true } },
    yAxis: { type: 'category', data: [...labels].reverse(), axisLabel: { width: 120, overflow: 'truncate' } },
    series: [{ type: 'bar', data: [...values].reverse(), label: { show: true, position: 'right', formatter: (p) => u.axis(p.value) } }],
  }, description);
}

/** Parts of a whole, e.g. chat against agents. */
export function shareChart(el, { items, unit = 'usd', description }) {
  const u = UNITS[unit];
  return mount(el, {
    tooltip: { trigger: 'item', valueFormatter: u.value },
    series: [{ type: 'pie', radius: ['38%', '62%'], data: items, avoidLabelOverlap: true,
      label: { formatter: (p) => `${p.name}\n${u.axis(p.value)}` } }],
  }, description);
}
