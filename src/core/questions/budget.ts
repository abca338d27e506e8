import { Decimal } from 'decimal.js';
import { daysOf } from '../calendar/days.ts';
import { formatUsd } from '../money/amount.ts';
import type { AnswerBudget } from './answer.ts';
import type { DayRange } from './range.ts';

/** Spend against a monthly budget: actual so far and a straight-line forecast to the period's end. */
export interface BudgetStatus {
  budget: string;
  actual: string;
  forecast: string;
  /** Percent of budget, one decimal. */
  actualPercent: string;
  forecastPercent: string;
  over: boolean;
}

/**
 * Budget status of a period's spend. The forecast extends the daily run rate of the complete
 * days so far over the whole period (a finished period's forecast is its actual).
 */
export function budgetStatus(options: {
  monthly: string;
  actual: string;
  period: DayRange;
  now: Date;
}): BudgetStatus {
  const today = options.now.toISOString().slice(0, 10);
  const days = daysOf(options.period);
  const elapsed = days.filter((d) => d < today).length;
  const actual = new Decimal(options.actual);
  const forecast = elapsed === 0 || elapsed === days.length ? actual : actual.div(elapsed).times(days.length);
  const budget = new Decimal(options.monthly).times(days.length).div(daysInMonth(options.period.from));
  const percent = (v: Decimal) =>
    budget.isZero() ? '0.0' : v.div(budget).times(100).toFixed(1, Decimal.ROUND_HALF_EVEN);
  return {
    budget: budget.toFixed(),
    actual: actual.toFixed(),
    forecast: forecast.toFixed(6, Decimal.ROUND_HALF_EVEN),
    actualPercent: percent(actual),
    forecastPercent: percent(forecast),
    over: forecast.gt(budget),
  };
}

/** "Budget $5,500.00: $3,100.00 spent (56.4%), forecast $6,020.00 (109.5%) — over budget". */
export function formatBudget(status: BudgetStatus): string {
  const verdict = status.over ? ' — forecast over budget' : '';
  return `Budget ${formatUsd(status.budget)}: ${formatUsd(status.actual)} spent (${status.actualPercent}%), forecast ${formatUsd(status.forecast)} (${status.forecastPercent}%)${verdict}`;
}

function daysInMonth(day: string): number {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
}

/** Forecast share of budget from which a team is at risk, and over. */
export const AT_RISK_PERCENT = 80;
const OVER_PERCENT = 100;

/**
 * The budget part of an answer: the period's spend and run-rate forecast against the monthly
 * budget, prorated when the period is not the whole month (see {@link budgetStatus}).
 */
export function answerBudget(options: {
  monthly: string;
  actual: string;
  period: DayRange;
  now: Date;
}): AnswerBudget {
  const status = budgetStatus(options);
  const percent = new Decimal(status.forecastPercent);
  return {
    monthly: new Decimal(options.monthly).toFixed(),
    actual: status.actual,
    forecast: status.forecast,
    percentOfBudget: status.forecastPercent,
    status: percent.gte(OVER_PERCENT) ? 'over' : percent.gte(AT_RISK_PERCENT) ? 'at_risk' : 'under',
    month: options.period.from.slice(0, 7),
  };
}

/** A monthly budget per day of the month `day` falls in, for the chart's budget line. */
export function budgetPerDay(monthly: string, day: string): string {
  return new Decimal(monthly).div(daysInMonth(day)).toFixed(6, Decimal.ROUND_HALF_EVEN);
}
