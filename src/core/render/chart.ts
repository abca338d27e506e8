/**
 * Charts as PNG: chart.js drawn on @napi-rs/canvas (prebuilt Skia binaries from the npm
 * registry, so no native build on a fresh machine). Money arrives as exact decimal strings and
 * becomes a JS number only here, for pixel positions.
 */
import { createCanvas } from '@napi-rs/canvas';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  type ChartDataset,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Title,
} from 'chart.js';
import { Decimal } from 'decimal.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Title,
);

/** One stacked series: a label and one exact amount per day. */
export interface ChartSeries {
  label: string;
  values: string[];
}

/** What a daily cost chart shows. */
export interface DailyChartInput {
  title: string;
  /** Category labels, e.g. `Oct 1` … `Oct 31`. */
  labels: string[];
  series: ChartSeries[];
  /** The previous equal period's daily totals, drawn as a line. */
  previous?: { label: string; values: string[] };
  /** A daily budget level, drawn as a dashed line. */
  budgetPerDay?: string;
  width?: number;
  height?: number;
}

/** Colour-blind-safe palette (Okabe–Ito), then greys. */
const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#999999',
  '#666666',
];

/** Renders daily stacked bars with optional previous-period and budget lines; returns PNG bytes. */
export function renderDailyChart(input: DailyChartInput): Buffer {
  const width = input.width ?? 1000;
  const height = input.height ?? 500;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const datasets: ChartDataset<'bar' | 'line', number[]>[] = input.series.map((s, i) => ({
    type: 'bar' as const,
    label: s.label,
    data: s.values.map(toPixels),
    backgroundColor: PALETTE[i % PALETTE.length],
    stack: 'cost',
  }));
  if (input.previous)
    datasets.push(lineDataset(input.previous.label, input.previous.values.map(toPixels), '#222222', []));
  if (input.budgetPerDay) {
    datasets.push(
      lineDataset(
        'Budget per day',
        input.labels.map(() => toPixels(input.budgetPerDay!)),
        '#C00000',
        [8, 4],
      ),
    );
  }
  const config: ChartConfiguration<'bar' | 'line', number[]> = {
    type: 'bar',
    data: { labels: input.labels, datasets },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      plugins: {
        title: { display: true, text: input.title, font: { size: 20, weight: 'bold' }, color: '#111111' },
        legend: { position: 'bottom', labels: { font: { size: 14 }, color: '#111111' } },
      },
      scales: {
        x: { stacked: true, ticks: { font: { size: 13 }, color: '#333333' }, grid: { display: false } },
        y: {
          stacked: true,
          beginAtZero: true,
          ticks: { font: { size: 13 }, color: '#333333', callback: (v) => formatAxisMoney(Number(v)) },
        },
      },
    },
    plugins: [whiteBackground],
  };
  // chart.js only needs a 2D context; @napi-rs/canvas provides a compatible one.
  const chart = new Chart(ctx as unknown as ConstructorParameters<typeof Chart>[0], config);
  try {
    return canvas.toBuffer('image/png');
  } finally {
    chart.destroy();
  }
}

function lineDataset(
  label: string,
  data: number[],
  color: string,
  dash: number[],
): ChartDataset<'line', number[]> {
  return {
    type: 'line',
    label,
    data,
    borderColor: color,
    backgroundColor: color,
    borderWidth: 2,
    borderDash: dash,
    pointRadius: 0,
    stack: label,
    // Lines above the bars.
    order: -1,
  };
}

/** Display-only conversion of an exact amount to a plotting number. */
function toPixels(amount: string): number {
  return new Decimal(amount).toDecimalPlaces(2).toNumber();
}

/** `$1.2k`, `$350`, `$0.50` for axis ticks. */
export function formatAxisMoney(value: number): string {
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  if (abs >= 1_000_000) return `${sign}$${trim(abs / 1_000_000)}M`;
  if (abs >= 1_000) return `${sign}$${trim(abs / 1_000)}k`;
  if (abs >= 10 || Number.isInteger(abs)) return `${sign}$${Math.round(abs)}`;
  return `${sign}$${abs.toFixed(2)}`;
}

function trim(n: number): string {
  return n.toFixed(1).replace(/\.0$/, '');
}

const whiteBackground = {
  id: 'whiteBackground',
  beforeDraw(chart: Chart) {
    const c = chart.ctx;
    c.save();
    c.fillStyle = '#ffffff';
    c.fillRect(0, 0, chart.width, chart.height);
    c.restore();
  },
};
