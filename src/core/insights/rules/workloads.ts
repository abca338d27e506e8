/**
 * Connectors and Flink compute pools that run all the time with little to do: connectors moving
 * under `connector_min_gb_day` GB a day, pools billed every day at or below `flink_min_cfu` CFUs
 * on average (a statement left running with nothing to process).
 */
import type { ResourceFact } from '../facts.ts';
import { billedDays, costIn, linesOf, monthlyRate, nameOf, perHour, quantityIn, short } from '../measure.ts';
import { priceConnector, priceFlinkPool, savingOf } from '../pricing.ts';
import type { Insight } from '../types.ts';
import { subject } from './clusters.ts';
import { dayCount, type RuleContext, resourcesOf } from './context.ts';

const TASK_LINES = ['CONNECT_NUM_TASKS', 'CUSTOM_CONNECT_NUM_TASKS'];
const THROUGHPUT_LINES = ['CONNECT_THROUGHPUT', 'CUSTOM_CONNECT_THROUGHPUT'];

/** Connectors billed for tasks every day of the window while moving almost nothing. */
export function idleConnectors(ctx: RuleContext): Insight[] {
  return resourcesOf(ctx, ['connector', 'custom_connector']).flatMap((c) => {
    const found = idleConnector(ctx, c);
    return found ? [found] : [];
  });
}

function idleConnector(ctx: RuleContext, connector: ResourceFact): Insight | null {
  const lines = linesOf(ctx.facts, connector);
  const days = billedDays(lines, ctx.window, TASK_LINES);
  if (days.length === 0 || days.length < dayCount(ctx.window)) return null;
  const gbPerDay = quantityIn(lines, ctx.window, THROUGHPUT_LINES).div(days.length);
  if (gbPerDay.gte(ctx.settings.connector_min_gb_day)) return null;
  const taskHours = quantityIn(lines, ctx.window, TASK_LINES);
  const taskCost = costIn(lines, ctx.window, TASK_LINES);
  const unitPrice = taskHours.isZero() ? null : taskCost.div(taskHours);
  const tasks = perHour(taskHours, days.length);
  const priced = savingOf(priceConnector(connector, tasks, unitPrice, ctx.pricing), null);
  const cost = costIn(lines, ctx.window);
  return {
    ...subject(ctx, connector, 'idle_connector'),
    summary: `Connector ${nameOf(connector)} ran ${short(tasks)} task(s) every day and moved ${short(gbPerDay, 3)} GB a day.`,
    action: 'Delete or pause the connector if its source or sink is gone; otherwise lower tasks.max.',
    cost: cost.toFixed(),
    monthlyCost: monthlyRate(cost, days.length),
    ...priced,
    evidence: [
      { label: 'days billed', value: String(days.length) },
      { label: 'tasks (average)', value: short(tasks) },
      {
        label: 'throughput per day',
        value: `${short(gbPerDay, 3)} GB (threshold ${ctx.settings.connector_min_gb_day})`,
      },
    ],
  };
}

/** Flink pools billed every day of the window at a CFU or less on average. */
export function idleFlinkPools(ctx: RuleContext): Insight[] {
  return resourcesOf(ctx, ['flink_pool']).flatMap((pool) => {
    const found = idleFlinkPool(ctx, pool);
    return found ? [found] : [];
  });
}

function idleFlinkPool(ctx: RuleContext, pool: ResourceFact): Insight | null {
  const lines = linesOf(ctx.facts, pool);
  const days = billedDays(lines, ctx.window, ['FLINK_NUM_CFUS']);
  if (days.length === 0 || days.length < dayCount(ctx.window)) return null;
  const cfu = perHour(quantityIn(lines, ctx.window, ['FLINK_NUM_CFUS']), days.length);
  if (cfu.isZero() || cfu.gt(ctx.settings.flink_min_cfu)) return null;
  const priced = savingOf(priceFlinkPool(pool, cfu, ctx.pricing), null);
  const cost = costIn(lines, ctx.window);
  const max = pool.attributes.max_cfu;
  return {
    ...subject(ctx, pool, 'idle_flink_pool'),
    summary: `Flink pool ${nameOf(pool)} was billed every day at ${short(cfu)} CFU on average: statements left running with little to process.`,
    action: 'Stop the statements nobody reads (or move them to a shared pool).',
    cost: cost.toFixed(),
    monthlyCost: monthlyRate(cost, days.length),
    ...priced,
    evidence: [
      { label: 'days billed', value: String(days.length) },
      { label: 'CFUs (average)', value: `${short(cfu)} (threshold ${ctx.settings.flink_min_cfu})` },
      ...(max !== undefined ? [{ label: 'max CFU', value: String(max) }] : []),
    ],
  };
}
