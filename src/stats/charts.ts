// Charts drawn on the server as SVG with Apache ECharts: no script on the page, and they scale to a phone.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { LRUCache } from 'lru-cache';
import { DEFAULT_LOCALE, type Locale } from '../i18n/i18n.ts';

type ECharts = typeof import('echarts');
let loaded: ECharts | undefined;
/**
 * ECharts is loaded at the first chart, not at start-up: loading it takes a few hundred milliseconds, as long as the
 * rest of the start together. Its CommonJS bundle, required synchronously, loads in a quarter of the time of its ES
 * modules, and keeps chartDataUri synchronous for the views that call it.
 */
const echarts = (): ECharts => (loaded ??= createRequire(import.meta.url)('echarts') as ECharts);

/** The chart's text is in the page's language: the fonts that write it best, Simplified, Traditional or Latin. */
const FONTS: Record<Locale, string> = {
  'zh-CN': "'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', sans-serif",
  'zh-HK': "'Noto Sans CJK HK', 'Noto Sans HK', 'Noto Sans CJK TC', 'Microsoft JhengHei', sans-serif",
  en: "'Noto Sans', 'Helvetica Neue', Arial, sans-serif",
};
const COLOURS = ['#b3261e', '#1f5fa8', '#2e7d32', '#8a5a00'];

export interface Series {
  name: string;
  type: 'bar' | 'line';
  values: (number | null)[];
  /** Draw against the right-hand axis (percentages). */
  percent?: boolean;
}

export interface ChartOptions {
  width?: number;
  height?: number;
  locale?: Locale;
}

/**
 * Drawing takes tens of milliseconds; the same input gives the same picture, so recent drawings are kept, keyed by a
 * hash of everything the drawing depends on (language — the labels and the font are the page's —, categories, series,
 * size), at most `maxBytes` of them (a chart is 10–40 KB), the least recently used out first. Charts show public
 * figures only, so one drawing serves every visitor.
 */
export function chartMemo(maxBytes: number) {
  const drawn = new LRUCache<string, string>({ maxSize: maxBytes, sizeCalculation: (uri) => uri.length });
  let draws = 0;
  return {
    /**
     * A bar/line chart over categories as an SVG data URI for an <img>: the SVG is a separate document
     * there, so the page's strict style policy does not apply to it, and ECharts escapes the labels.
     */
    chart(
      categories: string[],
      series: Series[],
      { width = 720, height = 320, locale = DEFAULT_LOCALE }: ChartOptions = {},
    ): string {
      const key = createHash('sha256')
        .update(JSON.stringify([locale, categories, series, width, height]))
        .digest('base64url');
      const kept = drawn.get(key);
      if (kept !== undefined) return kept;
      const uri = draw(categories, series, width, height, FONTS[locale]);
      draws += 1;
      drawn.set(key, uri);
      return uri;
    },
    /** How many drawings are kept, their size, and how many charts were drawn (for tests and the bench). */
    stats(): { entries: number; bytes: number; draws: number } {
      return { entries: drawn.size, bytes: drawn.calculatedSize, draws };
    },
  };
}

export const MAX_CHART_BYTES = 16 * 1024 * 1024;
const charts = chartMemo(MAX_CHART_BYTES);

/** A chart as an SVG data URI (see chartMemo), from the process's drawings. */
export function chartDataUri(categories: string[], series: Series[], options: ChartOptions = {}): string {
  return charts.chart(categories, series, options);
}

export const chartMemoStats = () => charts.stats();

function draw(categories: string[], series: Series[], width: number, height: number, font: string): string {
  const chart = echarts().init(null, null, { renderer: 'svg', ssr: true, width, height });
  const hasPercent = series.some((s) => s.percent);
  chart.setOption({
    animation: false,
    color: COLOURS,
    textStyle: { fontFamily: font },
    legend: { top: 0, textStyle: { fontFamily: font } },
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
