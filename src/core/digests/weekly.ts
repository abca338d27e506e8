/**
 * The weekly team digest: from the configured weekday and hour (UTC) on, last ISO week for each
 * team with a Slack channel — total, change against the week before, top products and principals,
 * and where the month stands against the team's budget. A team with no cost in either week gets none.
 */
import { Decimal } from 'decimal.js';
import { addDays } from '../calendar/days.ts';
import type { Config } from '../config/schema.ts';
import { currentRunsBetween } from '../questions/runs.ts';
import type { Store } from '../storage/database.ts';
import { dayOf, isoWeek, mondayOf, rangeLabel, weekSlot } from './calendar.ts';
import { costsBy, daysWithData, displayNames, totalCost } from './costs.ts';
import { monthToDateStatus } from './month-to-date.ts';
import { takenKeys } from './sent-messages.ts';
import type { NamedAmount, WeeklyTeamDigest } from './types.ts';

const TOP = 5;

/** `weekly:<team>:<ISO week reported>`. */
export function weeklyKey(team: string, week: string): string {
  return `weekly:${team}:${week}`;
}

/**
 * The weekly digests due at `now`: once this week's slot (weekday, hour) has passed, one per team
 * with a `slack_channel`, about the previous ISO week, until sent. Nothing while no allocation
 * covers that week.
 */
export async function dueWeeklyDigests(store: Store, config: Config, now: Date): Promise<WeeklyTeamDigest[]> {
  const settings = config.digests.weekly_team;
  if (!settings.enabled || now < weekSlot(now, settings.weekday, settings.hour)) return [];
  const to = mondayOf(dayOf(now));
  const from = addDays(to, -7);
  if ((await currentRunsBetween(store, from, to)).length === 0) return [];
  const week = isoWeek(from);
  const teams = Object.entries(config.teams).filter(([, t]) => t.slack_channel);
  const taken = await takenKeys(
    store,
    teams.map(([team]) => weeklyKey(team, week)),
  );
  const dataDays = await daysWithData(store, { from, to });
  const due: WeeklyTeamDigest[] = [];
  for (const [team, settingsOfTeam] of teams) {
    const key = weeklyKey(team, week);
    if (taken.has(key)) continue;
    const scope = { from, to, team };
    const [total, previousTotal, products, owners] = await Promise.all([
      totalCost(store, scope),
      totalCost(store, { from: addDays(from, -7), to: from, team }),
      costsBy(store, scope, 'product'),
      costsBy(store, scope, 'owner'),
    ]);
    // A team with no cost in either week has nothing to say; it is not claimed, so a digest still
    // goes out if late billing brings costs during the week.
    if (new Decimal(total).isZero() && new Decimal(previousTotal).isZero()) continue;
    const monthly = settingsOfTeam.budget?.monthly;
    due.push({
      kind: 'weekly_team',
      key,
      channel: settingsOfTeam.slack_channel!,
      team,
      teamLabel: settingsOfTeam.display_name ?? team,
      week,
      from,
      to,
      label: `week ${week.slice(6)} (${rangeLabel(from, to)})`,
      total,
      previousTotal,
      byProduct: products.slice(0, TOP).map((p) => ({ ...p, name: null })),
      topPrincipals: await named(store, owners.slice(0, TOP)),
      budget: monthly ? await monthToDateStatus(store, { team, monthly, now }) : null,
      dataThrough: dataDays.at(-1) ?? null,
    });
  }
  return due;
}

async function named(store: Store, rows: { key: string; amount: string }[]): Promise<NamedAmount[]> {
  const names = await displayNames(
    store,
    rows.map((r) => r.key),
  );
  return rows.map((r) => ({ ...r, name: names.get(r.key) ?? null }));
}
