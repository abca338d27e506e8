/** Every example question in {@link helpText}; each one parses (the grammar tests check). */
export const HELP_EXAMPLES = [
  'team payments last month',
  'team payments mtd by product',
  'compare team payments last month',
  'budget team payments',
  'explain team payments last month',
  'top teams this month',
  'top 5 teams',
  'top principals in team payments last 7 days',
  'cluster lkc-abc12 yesterday',
  'principal sa-123 2026-10',
  'env production q3',
  'environment production q3',
  'product flink last month',
  'unallocated last month',
  'reconcile 2026-10',
  'insights',
  'insights payments',
  'help',
] as const;

const TEXT = `ccost questions — case doesn't matter, extra spaces are fine, \`/ccost\` in front is optional.
End any question with \`share\` to post the answer for everyone.

Teams
  team payments last month            total, change, products, top owners
  team payments mtd by product        split by product, principal, resource, cluster,
                                      environment, team or day
  compare team payments last month    this period against the one before
  budget team payments                spend against budget (this month unless you say)
  explain team payments last month    how the costs were allocated

Rankings
  top teams this month                the 10 most expensive teams
  top 5 teams                         teams, principals, resources, clusters,
                                      environments or products
  top principals in team payments last 7 days

Anything else by name or id
  cluster lkc-abc12 yesterday
  principal sa-123 2026-10
  env production q3
  environment production q3
  product flink last month

Checks
  unallocated last month              costs no rule gave to a team
  reconcile 2026-10                   allocated totals against the bill
  insights [team]                     where the waste is, with savings: insights, insights payments
  help                                this text

Periods (UTC; without one, a question means this month)
  today, yesterday
  this week, last week                ISO weeks, Monday to Sunday
  mtd, this month, last month
  last 7 days                         7 days ending today, today included
  2026-10, october, oct 2026          a month name alone is the latest one that has begun
  q3, q3 2026, 2026-q3, this quarter, last quarter
  ytd, this year, last year, 2026
  2026-10-15                          one day
  2026-10-01..2026-10-15              both days included

Names with spaces go in quotes: team "data platform" q3`;

/** The question grammar as plain text, for `/ccost help`, the CLI and the README. */
export function helpText(): string {
  return `${TEXT}\n`;
}
