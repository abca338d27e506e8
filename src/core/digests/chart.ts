/** The monthly close chart: daily cost stacked by team over the month. */
import { renderDailyChart } from '../render/chart.ts';
import type { MonthlyCloseDigest } from './types.ts';

const SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** PNG of the month's daily cost by team. */
export function chartMonthlyClose(digest: MonthlyCloseDigest): Buffer {
  return renderDailyChart({
    title: `Cost by team, ${digest.label} (${digest.orgId})`,
    labels: digest.daily.days.map((d) => `${SHORT[Number(d.slice(5, 7)) - 1]} ${Number(d.slice(8, 10))}`),
    series: digest.daily.series.map((s) => ({ label: s.key, values: s.values })),
  });
}
