// Charts drawn on the server as SVG with Apache ECharts: no script on the page, and they scale to a phone.
import { createRequire } from 'node:module';
import { LRUCache } from 'lru-cache';

type ECharts = typeof import('echarts');
let loaded: ECharts | undefined;
/**
 * ECharts is loaded at the first chart, not at start-up: loading it takes a few hundred milliseconds, as long as the
 * rest of the start together. Its CommonJS bundle, required synchronously, loads in a quarter of the time of its ES
 * modules, and keeps chartDataUri synchronous for the views that call it.
 */
const echarts = (): ECharts => (loaded ??= createRequire(import.meta.url)('echarts') as ECharts);

const FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', sans-serif";
const COLOURS = ['#b3261e', '#1f5fa8', '#2e7d32', '#8a5a00'];

export interface Series {
  name: string;
  type: 'bar' | 'line';
  values: (number | null)[];
  /** Draw against the right-hand axis (percentages). */
  percent?: boolean;
}

/**
 * A bar/line chart over categories as an SVG data URI for an <img>: the SVG is a separate document
 * there, so the page's strict style policy does not apply to it, and ECharts escapes the labels.
 */
/** Drawing takes tens of milliseconds; the same numbers give the same picture, so recent ones are kept. */
const drawn = new LRUCache<string, string>({ max: 500 });

export function chartDataUri(categories: string[], series: Series[], { width = 720, height = 320 } = {}): string {
  const key = JSON.stringify([categories, series, width, height]);
  const cached = drawn.get(key);
  if (cached) return cached;
  const uri = draw(categories, series, width, height);
  drawn.set(key, uri);
  return uri;
}

function draw(categories: string[], series: Series[], width: number, height: number): string {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  const hasPercent = series.some((s) => s.percent);
  chart.setOption({
    animation: false,
    color: COLOURS,
    textStyle: { fontFamily: FONT },
    legend: { top: 0, textStyle: { fontFamily: FONT } },
    grid: { left: 56, right: hasPercent ? 56 : 24, top: 40, bottom: 48 },
    xAxis: { type: 'category', data: categories, axisLabel: { hideOverlap: true } },
    yAxis: [
      { type: 'value', minInterval: 1 },
      ...(hasPercent ? [{ type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } }] : []),
    ],
    series: series.map((s) => ({
      name: s.name,
      type: s.type,
      data: s.values,
      yAxisIndex: s.percent ? 1 : 0,
      connectNulls: false,
    })),
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
