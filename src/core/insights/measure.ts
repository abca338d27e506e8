/**
 * Small sums over the facts of one resource: cost and quantities of line types over days, daily
 * costs, run rates and the teams a resource's cost went to.
 */
import { Decimal } from 'decimal.js';
import { HOURS_PER_MONTH } from '../pricing/catalog.ts';
import { type Facts, factKey, type LineDay, type ResourceFact } from './facts.ts';
import { cents } from './pricing.ts';

/** Days [from, to). */
export interface Days {
  from: string;
  to: string;
}

/** True when `day` is in `days`. */
export function within(day: string, days: Days): boolean {
  return day >= days.from && day < days.to;
}

/** The lines of a resource. */
export function linesOf(facts: Facts, resource: ResourceFact): LineDay[] {
  return facts.lines.get(factKey(resource.orgId, resource.id)) ?? [];
}

/** Σ amount of the lines in `days` (optionally of some line types). */
export function costIn(lines: LineDay[], days: Days, lineTypes?: string[]): Decimal {
  return lines
    .filter((l) => within(l.day, days) && (!lineTypes || lineTypes.includes(l.lineType)))
    .reduce((sum, l) => sum.plus(l.amount), new Decimal(0));
}

/** Σ quantity of one or more line types in `days`. */
export function quantityIn(lines: LineDay[], days: Days, lineTypes: string[]): Decimal {
  return lines
    .filter((l) => within(l.day, days) && lineTypes.includes(l.lineType))
    .reduce((sum, l) => sum.plus(l.quantity), new Decimal(0));
}

/** Days in `days` with a line of the given types (any type when absent), sorted. */
export function billedDays(lines: LineDay[], days: Days, lineTypes?: string[]): string[] {
  const set = new Set(
    lines
      .filter((l) => within(l.day, days) && (!lineTypes || lineTypes.includes(l.lineType)))
      .map((l) => l.day),
  );
  return [...set].sort();
}

/** Cost per day (days with lines only), by day. */
export function dailyCosts(lines: LineDay[], days: Days): Map<string, Decimal> {
  const out = new Map<string, Decimal>();
  for (const l of lines) {
    if (within(l.day, days)) out.set(l.day, (out.get(l.day) ?? new Decimal(0)).plus(l.amount));
  }
  return out;
}

/** A cost over `dayCount` days as a month of 730 hours, to the cent. */
export function monthlyRate(cost: Decimal, dayCount: number): string {
  if (dayCount <= 0) return '0.00';
  return cents(cost.times(HOURS_PER_MONTH).div(24 * dayCount));
}

/** The average per hour of a quantity billed over `dayCount` whole days (CKUs, tasks, CFUs). */
export function perHour(quantity: Decimal, dayCount: number): Decimal {
  return dayCount <= 0 ? new Decimal(0) : quantity.div(24 * dayCount);
}

/** The team with the largest part of the resource's allocated cost, and every team with a part. */
export function teamsOf(facts: Facts, resource: ResourceFact): { team: string | null; teams: string[] } {
  const shares = facts.teams.get(factKey(resource.orgId, resource.id)) ?? [];
  const teams = shares.filter((s) => !s.amount.isZero()).map((s) => s.team);
  return { team: teams[0] ?? null, teams };
}

/** "orders-prod (lkc-abc12)" or the id. */
export function nameOf(resource: ResourceFact): string {
  return resource.displayName && resource.displayName !== resource.id
    ? `${resource.displayName} (${resource.id})`
    : resource.id;
}

/** Decimal text with at most `places` places, trailing zeros dropped. */
export function short(value: Decimal, places = 2): string {
  return value.toDecimalPlaces(places, Decimal.ROUND_HALF_EVEN).toFixed();
}
