/**
 * The Grafana dashboards of ccost, as data. `npm run grafana` (tsx grafana/generate.ts) writes
 * them to grafana/dashboards/*.json, which Grafana provisions unchanged; test/grafana checks the
 * committed JSON equals what this file produces and runs every query against the schema.
 *
 * Every query reads the CURRENT allocation run of each month (`join allocation_runs r on
 * r.id = x.run_id and r.is_current`), the daily rollups unless it needs the line grain (method,
 * confidence, fallback reason), and Grafana's macros ($__timeFilter, $__timeFrom, $__timeTo)
 * and template variables ($org, $team, $cluster, $product: multi-value, quoted by Grafana).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const POSTGRES = { type: 'grafana-postgresql-datasource', uid: 'ccost-pg' } as const;
export const PROMETHEUS = { type: 'prometheus', uid: 'ccost-prom' } as const;

type PanelType = 'stat' | 'timeseries' | 'piechart' | 'bargauge' | 'table' | 'barchart';
type Unit = 'currencyUSD' | 'percentunit' | 'short' | 's' | 'none';

/** One panel: what Grafana shows and what the test expects of its query. */
export interface PanelSpec {
  title: string;
  type: PanelType;
  description?: string;
  sql: string;
  /** Grid width (of 24) and height; panels flow left to right. */
  w: number;
  h: number;
  unit?: Unit;
  /** Stacked series (timeseries) or stacked bars (barchart). */
  stacked?: boolean;
  /** Draw a time series as bars. */
  bars?: boolean;
  /** Pivot a long table (row, column, value) into a matrix. */
  matrix?: { row: string; column: string; value: string };
  /** Columns the query returns, in order (`time` first for time series); checked by the test. */
  columns: string[];
  /** A time series in long form: `time`, `metric`, `value`. */
  long?: boolean;
  /** The simulated org in the test need not produce rows (e.g. unowned costs: it maps everything). */
  mayBeEmpty?: boolean;
}

export interface VariableSpec {
  name: string;
  label: string;
  sql: string;
}

export interface DashboardSpec {
  uid: string;
  file: string;
  title: string;
  description: string;
  variables: VariableSpec[];
  panels: PanelSpec[];
}

// ---------------------------------------------------------------------------------------------
// SQL building blocks

/** Current runs only: every cost query joins this. */
const CURRENT = 'join allocation_runs r on r.id = x.run_id and r.is_current';
const ROLLUPS = `from allocation_rollups x ${CURRENT}`;
const LINES = `from allocations x ${CURRENT}`;
const WHERE = 'where $__timeFilter(x.bucket) and x.org_id in ($org)';
/** Credits are lines of credit or refund products (negative on the bill). */
const IS_CREDIT = "x.product ~ 'CREDIT|REFUND'";
const DAY = 'x.bucket::timestamp as "time"';
const MONTH = "to_char(x.bucket, 'YYYY-MM')";
/** The Kafka cluster a row's cost belongs to: its resource, or the cluster it was allocated to. */
const CLUSTER =
  "case when x.resource_id like 'lkc-%' then x.resource_id when x.owner_id like 'lkc-%' then x.owner_id end";
/** Latest names of environments, resources and principals (inventory rows carry validity). */
const ENVS =
  'envs as (select distinct on (org_id, id) org_id, id, coalesce(display_name, id) as name from environments order by org_id, id, valid_from desc)';
const RES =
  'res as (select distinct on (org_id, id) org_id, id, kind, type, cloud, region, environment_id, coalesce(display_name, id) as name from resources order by org_id, id, valid_from desc)';
const PRINCIPALS =
  'pr as (select distinct on (org_id, id) org_id, id, coalesce(display_name, id) as name from principals order by org_id, id, valid_from desc)';
const ENV_JOIN = 'left join envs e on e.org_id = x.org_id and e.id = x.environment_id';
const ENV_NAME = "coalesce(e.name, x.environment_id, '(no environment)')";
/** Months whose first day is in the range, or that the range starts in. */
const MONTH_IN_RANGE =
  "period between to_char($__timeFrom()::timestamptz at time zone 'UTC', 'YYYY-MM') and to_char($__timeTo()::timestamptz at time zone 'UTC', 'YYYY-MM')";
const CREDITS_SUM = `coalesce(sum(x.amount) filter (where ${IS_CREDIT}), 0)`;
const USAGE_SUM = `coalesce(sum(x.amount) filter (where not ${IS_CREDIT}), 0)`;
const DISCOUNTS_SUM = `coalesce(sum(x.gross_amount - x.amount) filter (where not ${IS_CREDIT}), 0)`;

const sqlText = (parts: string[]) => parts.join('\n');

// ---------------------------------------------------------------------------------------------
// Variables

const ORG: VariableSpec = {
  name: 'org',
  label: 'Organization',
  sql: 'select id as __value, coalesce(display_name, id) as __text from organizations order by 2',
};
const TEAM: VariableSpec = {
  name: 'team',
  label: 'Team',
  sql: `select distinct x.team as __value, x.team as __text ${ROLLUPS} ${WHERE} order by 1`,
};
const CLUSTER_VAR: VariableSpec = {
  name: 'cluster',
  label: 'Kafka cluster',
  sql: sqlText([
    `with ${RES}, c as (select distinct x.org_id, ${CLUSTER} as id ${ROLLUPS} ${WHERE})`,
    "select c.id as __value, coalesce(k.name, c.id) || ' (' || c.id || ')' as __text",
    'from c left join res k on k.org_id = c.org_id and k.id = c.id where c.id is not null order by 2',
  ]),
};
const PRODUCT_VAR: VariableSpec = {
  name: 'product',
  label: 'Product',
  sql: `select distinct x.product as __value, x.product as __text ${ROLLUPS} ${WHERE} order by 1`,
};

// ---------------------------------------------------------------------------------------------
// Dashboards

const money = (title: string, sql: string, column: string, w = 6): PanelSpec => ({
  title,
  type: 'stat',
  sql,
  w,
  h: 4,
  unit: 'currencyUSD',
  columns: [column],
});

const executive: DashboardSpec = {
  uid: 'ccost-executive',
  file: 'executive-overview.json',
  title: 'ccost — Executive overview',
  description: 'What Confluent Cloud costs: totals, credits, net, trend, and where it goes.',
  variables: [ORG],
  panels: [
    money('Billed usage', `select ${USAGE_SUM} as "Billed usage" ${ROLLUPS} ${WHERE}`, 'Billed usage', 5),
    money('Discounts', `select ${DISCOUNTS_SUM} as "Discounts" ${ROLLUPS} ${WHERE}`, 'Discounts', 5),
    money('Credits', `select ${CREDITS_SUM} as "Credits" ${ROLLUPS} ${WHERE}`, 'Credits', 5),
    money('Net cost', `select coalesce(sum(x.amount), 0) as "Net cost" ${ROLLUPS} ${WHERE}`, 'Net cost', 5),
    {
      title: 'Unallocated share',
      description: 'Share of the gross cost no team could be charged for (credits, Tableflow, …).',
      type: 'stat',
      sql: `select coalesce(sum(abs(x.amount)) filter (where x.team = 'unallocated'), 0) / nullif(sum(abs(x.amount)), 0) as "Unallocated" ${ROLLUPS} ${WHERE}`,
      w: 4,
      h: 4,
      unit: 'percentunit',
      columns: ['Unallocated'],
    },
    {
      title: 'Daily cost trend',
      type: 'timeseries',
      sql: sqlText([
        'select d."time", d.net as "Net cost", d.usage as "Billed usage",',
        '  avg(d.net) over (order by d."time" rows between 6 preceding and current row) as "7-day average"',
        `from (select ${DAY}, sum(x.amount) as net, ${USAGE_SUM} as usage ${ROLLUPS} ${WHERE} group by 1) d`,
        'order by 1',
      ]),
      w: 24,
      h: 8,
      unit: 'currencyUSD',
      columns: ['time', 'Net cost', 'Billed usage', '7-day average'],
    },
    {
      title: 'Cost by environment',
      type: 'piechart',
      sql: sqlText([
        `with ${ENVS}`,
        `select ${ENV_NAME} as environment, sum(x.amount) as cost ${ROLLUPS} ${ENV_JOIN}`,
        `${WHERE} group by 1 order by 2 desc`,
      ]),
      w: 8,
      h: 9,
      unit: 'currencyUSD',
      columns: ['environment', 'cost'],
    },
    {
      title: 'Top 10 Kafka clusters',
      type: 'bargauge',
      sql: sqlText([
        `with ${RES}`,
        `select coalesce(k.name, ${CLUSTER}) as cluster, sum(x.amount) as cost ${ROLLUPS}`,
        `left join res k on k.org_id = x.org_id and k.id = ${CLUSTER}`,
        `${WHERE} and ${CLUSTER} is not null group by 1 order by 2 desc limit 10`,
      ]),
      w: 8,
      h: 9,
      unit: 'currencyUSD',
      columns: ['cluster', 'cost'],
    },
    {
      title: 'Cost by product',
      type: 'bargauge',
      sql: `select x.product, sum(x.amount) as cost ${ROLLUPS} ${WHERE} group by 1 order by 2 desc`,
      w: 8,
      h: 9,
      unit: 'currencyUSD',
      columns: ['product', 'cost'],
    },
    {
      title: 'Cost by team',
      type: 'bargauge',
      sql: `select x.team, sum(x.amount) as cost ${ROLLUPS} ${WHERE} group by 1 order by 2 desc`,
      w: 8,
      h: 9,
      unit: 'currencyUSD',
      columns: ['team', 'cost'],
    },
    {
      title: 'Monthly cost by team',
      type: 'timeseries',
      bars: true,
      stacked: true,
      long: true,
      sql: sqlText([
        `select date_trunc('month', x.bucket)::timestamp as "time", x.team as metric, sum(x.amount) as value`,
        `${ROLLUPS} ${WHERE} group by 1, 2 order by 1, 2`,
      ]),
      w: 16,
      h: 9,
      unit: 'currencyUSD',
      columns: ['time', 'metric', 'value'],
    },
    {
      title: 'Organizations',
      type: 'table',
      sql: sqlText([
        'select x.org_id as "Organization id", coalesce(o.display_name, x.org_id) as "Organization",',
        `  ${USAGE_SUM} as "Billed usage", ${CREDITS_SUM} as "Credits", sum(x.amount) as "Net cost",`,
        `  count(distinct ${CLUSTER}) as "Kafka clusters", count(distinct x.environment_id) as "Environments",`,
        '  count(distinct x.team) as "Teams", count(distinct x.bucket) as "Days"',
        `${ROLLUPS} left join organizations o on o.id = x.org_id`,
        `${WHERE} group by 1, 2 order by 5 desc`,
      ]),
      w: 24,
      h: 6,
      unit: 'currencyUSD',
      columns: [
        'Organization id',
        'Organization',
        'Billed usage',
        'Credits',
        'Net cost',
        'Kafka clusters',
        'Environments',
        'Teams',
        'Days',
      ],
    },
  ],
};

const TEAM_WHERE = `${WHERE} and x.team in ($team)`;

const chargeback: DashboardSpec = {
  uid: 'ccost-chargeback',
  file: 'chargeback-by-team.json',
  title: 'ccost — Chargeback by team',
  description: "Each team's share of the bill: by day and product, its principals and resources.",
  variables: [ORG, TEAM],
  panels: [
    money(
      'Cost of the selected teams',
      `select coalesce(sum(x.amount), 0) as "Cost" ${ROLLUPS} ${TEAM_WHERE}`,
      'Cost',
      8,
    ),
    {
      title: 'Share of the organization',
      type: 'stat',
      sql: `select coalesce(sum(x.amount) filter (where x.team in ($team)), 0) / nullif(sum(x.amount), 0) as "Share" ${ROLLUPS} ${WHERE}`,
      w: 8,
      h: 4,
      unit: 'percentunit',
      columns: ['Share'],
    },
    {
      title: 'Average daily cost',
      type: 'stat',
      sql: `select coalesce(sum(x.amount), 0) / nullif(count(distinct x.bucket), 0) as "Per day" ${ROLLUPS} ${TEAM_WHERE}`,
      w: 8,
      h: 4,
      unit: 'currencyUSD',
      columns: ['Per day'],
    },
    {
      title: 'Daily cost by product',
      type: 'timeseries',
      stacked: true,
      long: true,
      sql: `select ${DAY}, x.product as metric, sum(x.amount) as value ${ROLLUPS} ${TEAM_WHERE} group by 1, 2 order by 1, 2`,
      w: 12,
      h: 9,
      unit: 'currencyUSD',
      columns: ['time', 'metric', 'value'],
    },
    {
      title: 'Daily cost by team',
      type: 'timeseries',
      stacked: true,
      long: true,
      sql: `select ${DAY}, x.team as metric, sum(x.amount) as value ${ROLLUPS} ${TEAM_WHERE} group by 1, 2 order by 1, 2`,
      w: 12,
      h: 9,
      unit: 'currencyUSD',
      columns: ['time', 'metric', 'value'],
    },
    {
      title: 'Team × product',
      type: 'table',
      matrix: { row: 'team', column: 'product', value: 'cost' },
      sql: `select x.team, x.product, sum(x.amount) as cost ${ROLLUPS} ${TEAM_WHERE} group by 1, 2 order by 1, 2`,
      w: 24,
      h: 8,
      unit: 'currencyUSD',
      columns: ['team', 'product', 'cost'],
    },
    {
      title: 'Top principals',
      type: 'table',
      sql: sqlText([
        `with ${PRINCIPALS}`,
        'select x.owner_id as "Principal", coalesce(p.name, x.owner_id) as "Name", x.owner_kind as "Kind", x.team as "Team",',
        '  sum(x.amount) as "Cost", sum(x.amount) / nullif(sum(sum(x.amount)) over (partition by x.team), 0) as "Share of team"',
        `${ROLLUPS} left join pr p on p.org_id = x.org_id and p.id = x.owner_id`,
        `${TEAM_WHERE} and x.owner_kind in ('service_account', 'user', 'identity_pool', 'unknown')`,
        'group by 1, 2, 3, 4 order by 5 desc limit 25',
      ]),
      w: 12,
      h: 10,
      unit: 'currencyUSD',
      columns: ['Principal', 'Name', 'Kind', 'Team', 'Cost', 'Share of team'],
    },
    {
      title: 'Top resources',
      type: 'table',
      sql: sqlText([
        `with ${RES}, ${ENVS}`,
        `select coalesce(x.resource_id, '(none)') as "Resource", coalesce(k.name, x.resource_id, '(none)') as "Name",`,
        `  coalesce(k.kind, '') as "Kind", ${ENV_NAME} as "Environment", sum(x.amount) as "Cost"`,
        `${ROLLUPS} left join res k on k.org_id = x.org_id and k.id = x.resource_id ${ENV_JOIN}`,
        `${TEAM_WHERE} group by 1, 2, 3, 4 order by 5 desc limit 25`,
      ]),
      w: 12,
      h: 10,
      unit: 'currencyUSD',
      columns: ['Resource', 'Name', 'Kind', 'Environment', 'Cost'],
    },
    {
      title: 'Monthly chargeback statement',
      description: 'List price, discounts, credits and net per team and month (current figures).',
      type: 'table',
      sql: sqlText([
        `select ${MONTH} as "Month", x.team as "Team", coalesce(sum(x.gross_amount) filter (where not ${IS_CREDIT}), 0) as "List",`,
        `  -${DISCOUNTS_SUM} as "Discounts", ${CREDITS_SUM} as "Credits", sum(x.amount) as "Net"`,
        `${ROLLUPS} ${TEAM_WHERE} group by 1, 2 order by 1 desc, 6 desc`,
      ]),
      w: 24,
      h: 8,
      unit: 'currencyUSD',
      columns: ['Month', 'Team', 'List', 'Discounts', 'Credits', 'Net'],
    },
  ],
};

const CLUSTER_WHERE = `${WHERE} and ${CLUSTER} in ($cluster)`;
const CLUSTER_NAME = `coalesce(k.name, ${CLUSTER})`;
const CLUSTER_JOIN = `left join res k on k.org_id = x.org_id and k.id = ${CLUSTER}`;

const clusters: DashboardSpec = {
  uid: 'ccost-clusters',
  file: 'cost-by-cluster.json',
  title: 'ccost — Cost by cluster',
  description:
    'Kafka clusters with everything charged to them: Kafka, connectors, links, governance, support.',
  variables: [ORG, CLUSTER_VAR],
  panels: [
    money('Cluster cost', `select coalesce(sum(x.amount), 0) as "Cost" ${ROLLUPS} ${CLUSTER_WHERE}`, 'Cost'),
    {
      title: 'Active clusters',
      type: 'stat',
      sql: `select count(distinct ${CLUSTER}) as "Clusters" ${ROLLUPS} ${CLUSTER_WHERE}`,
      w: 6,
      h: 4,
      unit: 'short',
      columns: ['Clusters'],
    },
    {
      title: 'Average daily cost per cluster',
      type: 'stat',
      sql: `select coalesce(sum(x.amount), 0) / nullif(count(distinct (${CLUSTER}, x.bucket)), 0) as "Per cluster and day" ${ROLLUPS} ${CLUSTER_WHERE}`,
      w: 6,
      h: 4,
      unit: 'currencyUSD',
      columns: ['Per cluster and day'],
    },
    {
      title: 'Environments with clusters',
      type: 'stat',
      sql: `with ${RES} select count(distinct k.environment_id) as "Environments" ${ROLLUPS} ${CLUSTER_JOIN} ${CLUSTER_WHERE}`,
      w: 6,
      h: 4,
      unit: 'short',
      columns: ['Environments'],
    },
    {
      title: 'Daily cost by cluster',
      type: 'timeseries',
      stacked: true,
      long: true,
      sql: sqlText([
        `with ${RES}`,
        `select ${DAY}, ${CLUSTER_NAME} as metric, sum(x.amount) as value ${ROLLUPS} ${CLUSTER_JOIN}`,
        `${CLUSTER_WHERE} group by 1, 2 order by 1, 2`,
      ]),
      w: 24,
      h: 9,
      unit: 'currencyUSD',
      columns: ['time', 'metric', 'value'],
    },
    {
      title: 'Cluster ranking',
      type: 'table',
      sql: sqlText([
        `with ${RES}, ${ENVS}`,
        `select ${CLUSTER} as "Cluster", ${CLUSTER_NAME} as "Name", coalesce(k.type, '') as "Type",`,
        `  coalesce(k.cloud || ' ' || k.region, '') as "Region", coalesce(e.name, k.environment_id, '') as "Environment",`,
        '  sum(x.amount) as "Cost", sum(x.amount) / count(distinct x.bucket) as "Average daily",',
        '  count(distinct x.bucket) as "Days active", sum(x.amount) / nullif(sum(sum(x.amount)) over (), 0) as "Share"',
        `${ROLLUPS} ${CLUSTER_JOIN} left join envs e on e.org_id = k.org_id and e.id = k.environment_id`,
        `${CLUSTER_WHERE} group by 1, 2, 3, 4, 5 order by 6 desc`,
      ]),
      w: 24,
      h: 9,
      unit: 'currencyUSD',
      columns: [
        'Cluster',
        'Name',
        'Type',
        'Region',
        'Environment',
        'Cost',
        'Average daily',
        'Days active',
        'Share',
      ],
    },
    {
      title: 'Cluster cost by product',
      type: 'piechart',
      sql: `select x.product, sum(x.amount) as cost ${ROLLUPS} ${CLUSTER_WHERE} group by 1 order by 2 desc`,
      w: 8,
      h: 9,
      unit: 'currencyUSD',
      columns: ['product', 'cost'],
    },
    {
      title: 'Cluster × team',
      type: 'table',
      matrix: { row: 'cluster', column: 'team', value: 'cost' },
      sql: sqlText([
        `with ${RES}`,
        `select ${CLUSTER_NAME} as cluster, x.team, sum(x.amount) as cost ${ROLLUPS} ${CLUSTER_JOIN}`,
        `${CLUSTER_WHERE} group by 1, 2 order by 1, 2`,
      ]),
      w: 16,
      h: 9,
      unit: 'currencyUSD',
      columns: ['cluster', 'team', 'cost'],
    },
    {
      title: 'Cluster insights: traffic, idle days and variation',
      description:
        'Bytes produced and consumed by principals (Metrics API), cost per GB moved, days billed with no traffic, and the day-to-day variation of the cost (standard deviation / mean).',
      type: 'table',
      sql: sqlText([
        `with ${RES},`,
        `daily as (select x.org_id, ${CLUSTER} as cluster, x.bucket, sum(x.amount) as cost ${ROLLUPS}`,
        `  ${CLUSTER_WHERE} group by 1, 2, 3),`,
        "bytes as (select u.org_id, u.resource_id, u.bucket_start::date as day, sum(u.value) as bytes from usage u where u.granularity = 'day'",
        "  and u.subject_kind = 'principal' and u.metric in ('request_bytes', 'response_bytes') and u.org_id in ($org)",
        '  and $__timeFilter(u.bucket_start) group by 1, 2, 3)',
        'select d.cluster as "Cluster", coalesce(k.name, d.cluster) as "Name", sum(d.cost) as "Cost",',
        '  coalesce(sum(b.bytes), 0) / 1e9 as "GB moved", sum(d.cost) / nullif(sum(b.bytes) / 1e9, 0) as "Cost per GB",',
        '  count(*) filter (where coalesce(b.bytes, 0) = 0) as "Days without traffic",',
        '  coalesce(stddev_pop(d.cost) / nullif(avg(d.cost), 0), 0) as "Daily variation"',
        'from daily d left join bytes b on b.org_id = d.org_id and b.resource_id = d.cluster and b.day = d.bucket',
        'left join res k on k.org_id = d.org_id and k.id = d.cluster',
        'group by 1, 2 order by 3 desc',
      ]),
      w: 24,
      h: 9,
      unit: 'currencyUSD',
      columns: [
        'Cluster',
        'Name',
        'Cost',
        'GB moved',
        'Cost per GB',
        'Days without traffic',
        'Daily variation',
      ],
    },
    {
      title: 'Environment × resource type',
      description: 'Everything billed in each environment, by the kind of resource on the billing line.',
      type: 'table',
      sql: sqlText([
        `with ${RES}, ${ENVS}`,
        `select ${ENV_NAME} as "Environment",`,
        `  coalesce(sum(x.amount) filter (where k.kind = 'kafka_cluster'), 0) as "Kafka",`,
        `  coalesce(sum(x.amount) filter (where k.kind in ('connector', 'custom_connector')), 0) as "Connectors",`,
        `  coalesce(sum(x.amount) filter (where k.kind = 'flink_pool'), 0) as "Flink",`,
        `  coalesce(sum(x.amount) filter (where k.kind = 'schema_registry'), 0) as "Schema Registry",`,
        `  coalesce(sum(x.amount) filter (where k.kind = 'ksqldb'), 0) as "ksqlDB",`,
        `  coalesce(sum(x.amount) filter (where k.kind is null or k.kind not in ('kafka_cluster', 'connector', 'custom_connector', 'flink_pool', 'schema_registry', 'ksqldb')), 0) as "Other",`,
        '  sum(x.amount) as "Total"',
        `${ROLLUPS} left join res k on k.org_id = x.org_id and k.id = x.resource_id ${ENV_JOIN}`,
        `${WHERE} group by 1 order by 8 desc`,
      ]),
      w: 24,
      h: 7,
      unit: 'currencyUSD',
      columns: ['Environment', 'Kafka', 'Connectors', 'Flink', 'Schema Registry', 'ksqlDB', 'Other', 'Total'],
    },
  ],
};

const PRODUCT_WHERE = `${WHERE} and x.product in ($product)`;

const products: DashboardSpec = {
  uid: 'ccost-products',
  file: 'cost-by-product.json',
  title: 'ccost — Cost by product',
  description:
    'Kafka, Connect, Flink, Stream Governance, ksqlDB, Support, …: over time, by environment and team.',
  variables: [ORG, PRODUCT_VAR],
  panels: [
    money(
      'Cost of the selected products',
      `select coalesce(sum(x.amount), 0) as "Cost" ${ROLLUPS} ${PRODUCT_WHERE}`,
      'Cost',
      8,
    ),
    {
      title: 'Products',
      type: 'stat',
      sql: `select count(distinct x.product) as "Products" ${ROLLUPS} ${PRODUCT_WHERE}`,
      w: 8,
      h: 4,
      unit: 'short',
      columns: ['Products'],
    },
    {
      title: 'Average daily cost',
      type: 'stat',
      sql: `select coalesce(sum(x.amount), 0) / nullif(count(distinct x.bucket), 0) as "Per day" ${ROLLUPS} ${PRODUCT_WHERE}`,
      w: 8,
      h: 4,
      unit: 'currencyUSD',
      columns: ['Per day'],
    },
    {
      title: 'Cost by product',
      type: 'piechart',
      sql: `select x.product, sum(x.amount) as cost ${ROLLUPS} ${PRODUCT_WHERE} group by 1 order by 2 desc`,
      w: 8,
      h: 9,
      unit: 'currencyUSD',
      columns: ['product', 'cost'],
    },
    {
      title: 'Daily cost by product',
      type: 'timeseries',
      stacked: true,
      long: true,
      sql: `select ${DAY}, x.product as metric, sum(x.amount) as value ${ROLLUPS} ${PRODUCT_WHERE} group by 1, 2 order by 1, 2`,
      w: 16,
      h: 9,
      unit: 'currencyUSD',
      columns: ['time', 'metric', 'value'],
    },
    {
      title: 'Product × environment',
      type: 'table',
      matrix: { row: 'product', column: 'environment', value: 'cost' },
      sql: sqlText([
        `with ${ENVS}`,
        `select x.product, ${ENV_NAME} as environment, sum(x.amount) as cost ${ROLLUPS} ${ENV_JOIN}`,
        `${PRODUCT_WHERE} group by 1, 2 order by 1, 2`,
      ]),
      w: 12,
      h: 9,
      unit: 'currencyUSD',
      columns: ['product', 'environment', 'cost'],
    },
    {
      title: 'Product × team',
      type: 'table',
      matrix: { row: 'product', column: 'team', value: 'cost' },
      sql: `select x.product, x.team, sum(x.amount) as cost ${ROLLUPS} ${PRODUCT_WHERE} group by 1, 2 order by 1, 2`,
      w: 12,
      h: 9,
      unit: 'currencyUSD',
      columns: ['product', 'team', 'cost'],
    },
    {
      title: 'Monthly cost by product',
      type: 'timeseries',
      bars: true,
      stacked: true,
      long: true,
      sql: sqlText([
        `select date_trunc('month', x.bucket)::timestamp as "time", x.product as metric, sum(x.amount) as value`,
        `${ROLLUPS} ${PRODUCT_WHERE} group by 1, 2 order by 1, 2`,
      ]),
      w: 24,
      h: 8,
      unit: 'currencyUSD',
      columns: ['time', 'metric', 'value'],
    },
    {
      title: 'Billing line types',
      description:
        'As billed by Confluent: quantity, list amount, discounts and billed amount per line type.',
      type: 'table',
      sql: sqlText([
        'select b.product as "Product", b.line_type as "Line type", coalesce(b.unit, \'\') as "Unit",',
        '  coalesce(sum(b.quantity), 0) as "Quantity", sum(b.original_amount) as "List",',
        '  -coalesce(sum(b.discount_amount), 0) as "Discounts", sum(b.amount) as "Billed", count(*) as "Lines"',
        'from billing_lines b where $__timeFilter(b.start_date) and b.org_id in ($org) and b.product in ($product)',
        'group by 1, 2, 3 order by 7 desc',
      ]),
      w: 24,
      h: 10,
      unit: 'currencyUSD',
      columns: ['Product', 'Line type', 'Unit', 'Quantity', 'List', 'Discounts', 'Billed', 'Lines'],
    },
  ],
};

const history: DashboardSpec = {
  uid: 'ccost-history',
  file: 'history-and-audit.json',
  title: 'ccost — History and audit',
  description:
    'Every allocation run, restatement, close, collection and scheduled job; credits and a daily billed-vs-allocated audit.',
  variables: [ORG],
  panels: [
    {
      title: 'Allocation runs',
      description:
        'All runs of the months in the range; the current one holds the figures, a closed one is frozen.',
      type: 'table',
      sql: sqlText([
        'select r.created_at as "Created", r.org_id as "Organization", r.period as "Month", r.id as "Run", r.status as "Status",',
        '  r.is_current as "Current", (pc.run_id is not null) as "Closed with", r.line_count as "Lines", r.row_count as "Rows",',
        '  r.total as "Total", left(r.rule_set_hash, 12) as "Rules", left(r.input_fingerprint, 12) as "Inputs",',
        `  coalesce(r.code_version, '') as "Code"`,
        'from allocation_runs r left join period_closes pc on pc.org_id = r.org_id and pc.period = r.period and pc.run_id = r.id',
        `where r.org_id in ($org) and r.${MONTH_IN_RANGE} order by r.created_at desc`,
      ]),
      w: 24,
      h: 8,
      unit: 'currencyUSD',
      columns: [
        'Created',
        'Organization',
        'Month',
        'Run',
        'Status',
        'Current',
        'Closed with',
        'Lines',
        'Rows',
        'Total',
        'Rules',
        'Inputs',
        'Code',
      ],
    },
    {
      title: 'Restatements',
      type: 'table',
      sql: sqlText([
        'select s.created_at as "Restated", s.org_id as "Organization", s.period as "Month", coalesce(s.reason, \'\') as "Reason",',
        '  s.previous_run_id as "Previous run", p.total as "Previous total", s.run_id as "New run", n.total as "New total",',
        '  s.delta as "Delta"',
        'from restatements s left join allocation_runs p on p.id = s.previous_run_id left join allocation_runs n on n.id = s.run_id',
        `where s.org_id in ($org) and s.${MONTH_IN_RANGE} order by s.created_at desc`,
      ]),
      w: 12,
      h: 8,
      unit: 'currencyUSD',
      columns: [
        'Restated',
        'Organization',
        'Month',
        'Reason',
        'Previous run',
        'Previous total',
        'New run',
        'New total',
        'Delta',
      ],
    },
    {
      title: 'Restatement deltas by team and product',
      type: 'table',
      sql: sqlText([
        'select s.period as "Month", s.id as "Restatement", c.dimension as "By", c.item->>\'key\' as "Key",',
        '  (c.item->>\'before\')::numeric as "Before", (c.item->>\'after\')::numeric as "After", (c.item->>\'delta\')::numeric as "Delta"',
        'from restatements s cross join lateral (',
        "  select 'team' as dimension, t as item from jsonb_array_elements(s.changes->'byTeam') t",
        "  union all select 'product', p from jsonb_array_elements(s.changes->'byProduct') p) c",
        `where s.org_id in ($org) and s.${MONTH_IN_RANGE} order by s.created_at desc, 3, abs((c.item->>'delta')::numeric) desc`,
      ]),
      w: 12,
      h: 8,
      unit: 'currencyUSD',
      columns: ['Month', 'Restatement', 'By', 'Key', 'Before', 'After', 'Delta'],
    },
    {
      title: 'Period closes',
      type: 'table',
      sql: sqlText([
        'select pc.created_at as "Closed", pc.org_id as "Organization", pc.period as "Month", pc.run_id as "Run",',
        '  r.total as "Closed total", pc.forced as "Forced", coalesce(pc.reason, \'\') as "Reason",',
        '  coalesce(pc.reconciliation_id, \'\') as "Reconciliation", coalesce(pc.closed_by, \'\') as "Closed by"',
        'from period_closes pc left join allocation_runs r on r.id = pc.run_id',
        `where pc.org_id in ($org) and pc.${MONTH_IN_RANGE} order by pc.period desc`,
      ]),
      w: 24,
      h: 6,
      unit: 'currencyUSD',
      columns: [
        'Closed',
        'Organization',
        'Month',
        'Run',
        'Closed total',
        'Forced',
        'Reason',
        'Reconciliation',
        'Closed by',
      ],
    },
    {
      title: 'Collection runs',
      type: 'table',
      sql: sqlText([
        'select c.created_at as "Started", c.org_id as "Organization", c.window_from as "From", c.window_to as "To",',
        '  c.status as "Status", extract(epoch from c.finished_at - c.created_at) as "Duration",',
        '  coalesce((c.summary->>\'usageRows\')::bigint, 0) as "Usage rows",',
        '  coalesce(jsonb_array_length(c.summary->\'metricsFailures\'), 0) as "Metrics failures", coalesce(c.error, \'\') as "Error"',
        'from collection_runs c',
        'where c.org_id in ($org) and c.window_to >= $__timeFrom()::date and c.window_from <= $__timeTo()::date',
        'order by c.created_at desc limit 200',
      ]),
      w: 12,
      h: 8,
      unit: 's',
      columns: [
        'Started',
        'Organization',
        'From',
        'To',
        'Status',
        'Duration',
        'Usage rows',
        'Metrics failures',
        'Error',
      ],
    },
    {
      title: 'Scheduled job runs',
      type: 'table',
      sql: sqlText([
        'select j.started_at as "Started", j.job as "Job", j.outcome as "Outcome", j.trigger as "Trigger", j.attempt as "Attempt",',
        '  j.holder as "Replica", extract(epoch from j.finished_at - j.started_at) as "Duration",',
        '  coalesce(j.counts::text, \'\') as "Counts", coalesce(j.error, \'\') as "Error"',
        'from job_runs j where $__timeFilter(j.started_at) order by j.started_at desc limit 200',
      ]),
      w: 12,
      h: 8,
      unit: 's',
      columns: ['Started', 'Job', 'Outcome', 'Trigger', 'Attempt', 'Replica', 'Duration', 'Counts', 'Error'],
    },
    {
      title: 'Job durations',
      type: 'timeseries',
      long: true,
      sql: sqlText([
        'select j.started_at as "time", j.job as metric, extract(epoch from j.finished_at - j.started_at) as value',
        "from job_runs j where $__timeFilter(j.started_at) and j.outcome in ('succeeded', 'failed') and j.finished_at is not null",
        'order by 1, 2',
      ]),
      w: 12,
      h: 8,
      unit: 's',
      columns: ['time', 'metric', 'value'],
    },
    {
      title: 'Credits and discounts',
      type: 'timeseries',
      bars: true,
      sql: `select ${DAY}, ${CREDITS_SUM} as "Credits", -${DISCOUNTS_SUM} as "Discounts" ${ROLLUPS} ${WHERE} group by 1 order by 1`,
      w: 12,
      h: 8,
      unit: 'currencyUSD',
      columns: ['time', 'Credits', 'Discounts'],
    },
    {
      title: 'Daily audit: billed against allocated',
      description:
        'Per day and product: billing lines as collected now, the current allocation, and the difference (non-zero after late data until the month is re-allocated or restated).',
      type: 'table',
      sql: sqlText([
        'with billed as (select b.org_id, b.start_date as day, b.product, count(*) as lines, sum(b.amount) as amount from billing_lines b',
        '  where $__timeFilter(b.start_date) and b.org_id in ($org) group by 1, 2, 3),',
        `allocated as (select x.org_id, x.bucket as day, x.product, sum(x.amount) as amount ${ROLLUPS} ${WHERE} group by 1, 2, 3)`,
        'select coalesce(b.day, a.day) as "Day", coalesce(b.product, a.product) as "Product", coalesce(b.lines, 0) as "Lines",',
        '  coalesce(b.amount, 0) as "Billed", coalesce(a.amount, 0) as "Allocated", coalesce(a.amount, 0) - coalesce(b.amount, 0) as "Difference"',
        'from billed b full join allocated a on a.org_id = b.org_id and a.day = b.day and a.product = b.product',
        'order by 1 desc, 2',
      ]),
      w: 24,
      h: 10,
      unit: 'currencyUSD',
      columns: ['Day', 'Product', 'Lines', 'Billed', 'Allocated', 'Difference'],
    },
    {
      title: 'Changed billing lines',
      description:
        'Lines Confluent changed after ccost first collected them (late data, corrections): each previous version.',
      type: 'table',
      mayBeEmpty: true,
      sql: sqlText([
        'select v.replaced_at as "Replaced", b.start_date as "Day", b.product as "Product", b.line_type as "Line type",',
        '  coalesce(b.resource_id, \'\') as "Resource", v.version as "Version", v.amount as "Was", b.amount as "Now"',
        'from billing_line_versions v join billing_lines b on b.id = v.line_id',
        'where $__timeFilter(b.start_date) and b.org_id in ($org) order by v.replaced_at desc limit 200',
      ]),
      w: 24,
      h: 7,
      unit: 'currencyUSD',
      columns: ['Replaced', 'Day', 'Product', 'Line type', 'Resource', 'Version', 'Was', 'Now'],
    },
  ],
};

const share = (filter: string) =>
  `coalesce(sum(abs(x.amount)) filter (where ${filter}), 0) / nullif(sum(abs(x.amount)), 0)`;

const confidence: DashboardSpec = {
  uid: 'ccost-confidence',
  file: 'allocation-confidence.json',
  title: 'ccost — Allocation confidence and unallocated share',
  description:
    'How each cost was split (method, confidence, fallback reason) and how much no team could be charged for.',
  variables: [ORG],
  panels: [
    {
      title: 'Quality score',
      description: 'Share of the cost (absolute amounts) allocated with high or medium confidence.',
      type: 'stat',
      sql: `select ${share("x.confidence in ('high', 'medium')")} as "High or medium" ${LINES} ${WHERE}`,
      w: 6,
      h: 4,
      unit: 'percentunit',
      columns: ['High or medium'],
    },
    {
      title: 'Unallocated share',
      type: 'stat',
      sql: `select ${share("x.team = 'unallocated'")} as "Unallocated" ${ROLLUPS} ${WHERE}`,
      w: 6,
      h: 4,
      unit: 'percentunit',
      columns: ['Unallocated'],
    },
    {
      title: 'Unowned share',
      description: 'Share charged to owners no team claims (add them to teams in ccost.yaml).',
      type: 'stat',
      sql: `select ${share("x.team = 'unowned'")} as "Unowned" ${ROLLUPS} ${WHERE}`,
      w: 6,
      h: 4,
      unit: 'percentunit',
      columns: ['Unowned'],
    },
    {
      title: 'Allocation rows',
      type: 'stat',
      sql: `select count(*) as "Rows", count(*) filter (where x.fallback_reason is not null) as "With a fallback reason" ${LINES} ${WHERE}`,
      w: 6,
      h: 4,
      unit: 'short',
      columns: ['Rows', 'With a fallback reason'],
    },
    {
      title: 'Cost by confidence',
      type: 'piechart',
      sql: `select x.confidence, sum(abs(x.amount)) as cost ${LINES} ${WHERE} group by 1 order by 2 desc`,
      w: 8,
      h: 9,
      unit: 'currencyUSD',
      columns: ['confidence', 'cost'],
    },
    {
      title: 'Confidence over time',
      type: 'timeseries',
      bars: true,
      stacked: true,
      long: true,
      sql: `select ${DAY}, x.confidence as metric, sum(abs(x.amount)) as value ${LINES} ${WHERE} group by 1, 2 order by 1, 2`,
      w: 16,
      h: 9,
      unit: 'currencyUSD',
      columns: ['time', 'metric', 'value'],
    },
    {
      title: 'Allocation methods',
      type: 'table',
      sql: sqlText([
        'select x.method as "Method", count(*) as "Rows", count(distinct x.line_id) as "Billing lines",',
        '  count(distinct x.resource_id) as "Resources", sum(x.amount) as "Cost",',
        '  sum(abs(x.amount)) / nullif(sum(sum(abs(x.amount))) over (), 0) as "Share"',
        `${LINES} ${WHERE} group by 1 order by 5 desc`,
      ]),
      w: 12,
      h: 8,
      unit: 'currencyUSD',
      columns: ['Method', 'Rows', 'Billing lines', 'Resources', 'Cost', 'Share'],
    },
    {
      title: 'Fallback reasons',
      type: 'table',
      sql: sqlText([
        'select x.fallback_reason as "Reason", x.method as "Method", x.confidence as "Confidence", count(*) as "Rows",',
        '  count(distinct x.line_id) as "Billing lines", sum(x.amount) as "Cost", min(x.bucket) as "First day", max(x.bucket) as "Last day"',
        `${LINES} ${WHERE} and x.fallback_reason is not null group by 1, 2, 3 order by abs(sum(x.amount)) desc`,
      ]),
      w: 12,
      h: 8,
      unit: 'currencyUSD',
      columns: ['Reason', 'Method', 'Confidence', 'Rows', 'Billing lines', 'Cost', 'First day', 'Last day'],
    },
    {
      title: 'Unallocated and unowned',
      type: 'timeseries',
      sql: sqlText([
        `select ${DAY}, coalesce(sum(x.amount) filter (where x.team = 'unallocated'), 0) as "Unallocated",`,
        `  coalesce(sum(x.amount) filter (where x.team = 'unowned'), 0) as "Unowned"`,
        `${ROLLUPS} ${WHERE} group by 1 order by 1`,
      ]),
      w: 12,
      h: 8,
      unit: 'currencyUSD',
      columns: ['time', 'Unallocated', 'Unowned'],
    },
    {
      title: 'Unallocated and unowned share',
      type: 'timeseries',
      sql: sqlText([
        `select ${DAY}, ${share("x.team = 'unallocated'")} as "Unallocated",`,
        `  ${share("x.team = 'unowned'")} as "Unowned"`,
        `${ROLLUPS} ${WHERE} group by 1 order by 1`,
      ]),
      w: 12,
      h: 8,
      unit: 'percentunit',
      columns: ['time', 'Unallocated', 'Unowned'],
    },
    {
      title: 'Confidence by environment',
      type: 'table',
      sql: sqlText([
        `with ${ENVS}`,
        `select ${ENV_NAME} as "Environment",`,
        `  coalesce(sum(abs(x.amount)) filter (where x.confidence = 'high'), 0) as "High",`,
        `  coalesce(sum(abs(x.amount)) filter (where x.confidence = 'medium'), 0) as "Medium",`,
        `  coalesce(sum(abs(x.amount)) filter (where x.confidence = 'low'), 0) as "Low",`,
        `  ${share("x.confidence in ('high', 'medium')")} as "Quality"`,
        `${LINES} ${ENV_JOIN} ${WHERE} group by 1 order by 5`,
      ]),
      w: 12,
      h: 7,
      unit: 'currencyUSD',
      columns: ['Environment', 'High', 'Medium', 'Low', 'Quality'],
    },
    {
      title: 'Unowned owners to map to a team',
      type: 'table',
      mayBeEmpty: true,
      sql: sqlText([
        'select x.owner_id as "Owner", x.owner_kind as "Kind", sum(x.amount) as "Cost", min(x.bucket) as "First day", max(x.bucket) as "Last day"',
        `${ROLLUPS} ${WHERE} and x.team = 'unowned' group by 1, 2 order by 3 desc limit 100`,
      ]),
      w: 12,
      h: 7,
      unit: 'currencyUSD',
      columns: ['Owner', 'Kind', 'Cost', 'First day', 'Last day'],
    },
  ],
};

/** The months in the range with billing lines or a run, per org, with their latest reconciliation. */
const MONTHS = sqlText([
  'months as (select distinct org_id, period from allocation_runs where org_id in ($org) and ' +
    MONTH_IN_RANGE,
  "  union select distinct org_id, to_char(start_date, 'YYYY-MM') from billing_lines where org_id in ($org) and $__timeFilter(start_date)),",
  'latest as (select distinct on (org_id, period) * from reconciliations order by org_id, period, created_at desc)',
]);

const reconciliation: DashboardSpec = {
  uid: 'ccost-reconciliation',
  file: 'reconciliation-status.json',
  title: 'ccost — Reconciliation status',
  description:
    'Each month: open, provisional or closed; its checks; invoice against billed against allocated.',
  variables: [ORG],
  panels: [
    {
      title: 'Months',
      type: 'stat',
      sql: sqlText([
        `with ${MONTHS}`,
        'select count(*) as "Months", count(pc.period) as "Closed", count(*) filter (where l.passed) as "Reconciled, passing",',
        '  count(*) filter (where not l.passed) as "Failing a check"',
        'from months m left join period_closes pc on pc.org_id = m.org_id and pc.period = m.period',
        'left join latest l on l.org_id = m.org_id and l.period = m.period',
      ]),
      w: 24,
      h: 4,
      unit: 'short',
      columns: ['Months', 'Closed', 'Reconciled, passing', 'Failing a check'],
    },
    {
      title: 'Month status',
      description:
        'A month is open until it ends, provisional until it is closed (billing settles 72 hours after the month), closed once `ccost close` froze its run.',
      type: 'table',
      sql: sqlText([
        `with ${MONTHS},`,
        "billed as (select org_id, to_char(start_date, 'YYYY-MM') as period, sum(amount) as amount from billing_lines",
        '  where org_id in ($org) group by 1, 2)',
        'select m.org_id as "Organization", m.period as "Month",',
        "  case when pc.period is not null then 'closed' when now() < (m.period || '-01')::date + interval '1 month' then 'open'",
        '    else \'provisional\' end as "State",',
        "  (m.period || '-01')::timestamptz + interval '1 month' + interval '72 hours' <= now() as \"Settled\",",
        '  l.created_at as "Reconciled", l.passed as "Passed", i.usage_subtotal as "Invoice", b.amount as "Billed",',
        '  cur.total as "Allocated", closed.total as "As closed", b.amount - i.usage_subtotal as "Billed − invoice",',
        '  cur.total - b.amount as "Allocated − billed", coalesce(pc.forced, false) as "Forced",',
        '  (select count(*) from restatements s where s.org_id = m.org_id and s.period = m.period) as "Restatements"',
        'from months m',
        'left join period_closes pc on pc.org_id = m.org_id and pc.period = m.period',
        'left join latest l on l.org_id = m.org_id and l.period = m.period',
        'left join invoice_subtotals i on i.org_id = m.org_id and i.period = m.period',
        'left join billed b on b.org_id = m.org_id and b.period = m.period',
        'left join allocation_runs cur on cur.org_id = m.org_id and cur.period = m.period and cur.is_current',
        'left join allocation_runs closed on closed.id = pc.run_id',
        'order by 2 desc, 1',
      ]),
      w: 24,
      h: 8,
      unit: 'currencyUSD',
      columns: [
        'Organization',
        'Month',
        'State',
        'Settled',
        'Reconciled',
        'Passed',
        'Invoice',
        'Billed',
        'Allocated',
        'As closed',
        'Billed − invoice',
        'Allocated − billed',
        'Forced',
        'Restatements',
      ],
    },
    {
      title: 'Invoice, billed and allocated',
      type: 'barchart',
      sql: sqlText([
        `with ${MONTHS},`,
        "billed as (select org_id, to_char(start_date, 'YYYY-MM') as period, sum(amount) as amount from billing_lines",
        '  where org_id in ($org) group by 1, 2)',
        'select m.period as "Month", sum(i.usage_subtotal) as "Invoice", sum(b.amount) as "Billed", sum(cur.total) as "Allocated"',
        'from months m left join invoice_subtotals i on i.org_id = m.org_id and i.period = m.period',
        'left join billed b on b.org_id = m.org_id and b.period = m.period',
        'left join allocation_runs cur on cur.org_id = m.org_id and cur.period = m.period and cur.is_current',
        'group by 1 order by 1',
      ]),
      w: 24,
      h: 8,
      unit: 'currencyUSD',
      columns: ['Month', 'Invoice', 'Billed', 'Allocated'],
    },
    {
      title: 'Checks of the latest reconciliation',
      type: 'table',
      sql: sqlText([
        `with ${MONTHS}`,
        'select l.period as "Month", l.org_id as "Organization", c->>\'id\' as "Check", c->>\'status\' as "Status",',
        "  coalesce(c->'left'->>'label', '') as \"Left\", (c->'left'->>'value')::numeric as \"Left amount\",",
        "  coalesce(c->'right'->>'label', '') as \"Right\", (c->'right'->>'value')::numeric as \"Right amount\",",
        '  (c->>\'difference\')::numeric as "Difference",',
        "  coalesce((select string_agg(d, '; ') from (select jsonb_array_elements_text(c->'details') as d limit 5) t), '') as \"Details\"",
        "from months m join latest l on l.org_id = m.org_id and l.period = m.period cross join lateral jsonb_array_elements(l.result->'checks') c",
        "order by 1 desc, 2, case c->>'status' when 'fail' then 0 when 'warn' then 1 else 2 end",
      ]),
      w: 24,
      h: 10,
      unit: 'currencyUSD',
      columns: [
        'Month',
        'Organization',
        'Check',
        'Status',
        'Left',
        'Left amount',
        'Right',
        'Right amount',
        'Difference',
        'Details',
      ],
    },
    {
      title: 'Reconciliation history',
      type: 'table',
      sql: sqlText([
        'select r.created_at as "Reconciled", r.org_id as "Organization", r.period as "Month", r.run_id as "Run", r.passed as "Passed",',
        "  coalesce((select string_agg(c->>'id', ', ') from jsonb_array_elements(r.result->'checks') c where c->>'status' = 'fail'), '') as \"Failed\",",
        "  coalesce((select string_agg(c->>'id', ', ') from jsonb_array_elements(r.result->'checks') c where c->>'status' = 'warn'), '') as \"Warnings\"",
        `from reconciliations r where r.org_id in ($org) and r.${MONTH_IN_RANGE} order by r.created_at desc limit 200`,
      ]),
      w: 24,
      h: 8,
      unit: 'none',
      columns: ['Reconciled', 'Organization', 'Month', 'Run', 'Passed', 'Failed', 'Warnings'],
    },
  ],
};

export const DASHBOARDS: DashboardSpec[] = [
  executive,
  chargeback,
  clusters,
  products,
  history,
  confidence,
  reconciliation,
];

// ---------------------------------------------------------------------------------------------
// Grafana JSON

function variableJson(v: VariableSpec) {
  return {
    name: v.name,
    label: v.label,
    type: 'query',
    datasource: POSTGRES,
    query: v.sql,
    definition: v.sql,
    refresh: 2,
    multi: true,
    includeAll: true,
    current: { selected: true, text: ['All'], value: ['$__all'] },
    options: [],
    sort: 1,
    hide: 0,
    skipUrlSync: false,
  };
}

function fieldConfig(p: PanelSpec) {
  const custom: Record<string, unknown> = {};
  if (p.type === 'timeseries') {
    Object.assign(custom, {
      drawStyle: p.bars ? 'bars' : 'line',
      lineWidth: 1,
      fillOpacity: p.stacked || p.bars ? 80 : 10,
      showPoints: 'never',
      stacking: { mode: p.stacked ? 'normal' : 'none', group: 'A' },
      spanNulls: false,
    });
  }
  if (p.type === 'table')
    Object.assign(custom, { align: 'auto', cellOptions: { type: 'auto' }, filterable: true });
  return {
    defaults: {
      unit: p.unit ?? 'currencyUSD',
      decimals: p.unit === 'percentunit' ? 1 : p.unit === 'currencyUSD' ? 2 : undefined,
      color: { mode: p.type === 'stat' ? 'thresholds' : 'palette-classic' },
      thresholds: { mode: 'absolute', steps: [{ color: 'blue', value: null }] },
      custom,
    },
    overrides: [],
  };
}

function options(p: PanelSpec) {
  const legend = { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: [] as string[] };
  const allValues = { values: true, calcs: [] as string[], fields: '' };
  switch (p.type) {
    case 'stat':
      return {
        reduceOptions: { values: false, calcs: ['lastNotNull'], fields: '' },
        colorMode: 'value',
        graphMode: 'none',
        justifyMode: 'auto',
        textMode: 'auto',
        orientation: 'auto',
      };
    case 'timeseries':
      return {
        legend: { ...legend, displayMode: 'table', calcs: ['sum'] },
        tooltip: { mode: 'multi', sort: 'desc' },
      };
    case 'piechart':
      return {
        reduceOptions: allValues,
        pieType: 'donut',
        displayLabels: ['percent'],
        legend: { displayMode: 'table', placement: 'right', showLegend: true, values: ['value', 'percent'] },
        tooltip: { mode: 'single', sort: 'none' },
      };
    case 'bargauge':
      return {
        reduceOptions: allValues,
        orientation: 'horizontal',
        displayMode: 'gradient',
        showUnfilled: true,
        valueMode: 'color',
        namePlacement: 'auto',
        minVizHeight: 16,
        minVizWidth: 8,
        sizing: 'auto',
      };
    case 'barchart':
      return {
        orientation: 'auto',
        stacking: p.stacked ? 'normal' : 'none',
        groupWidth: 0.7,
        barWidth: 0.9,
        showValue: 'auto',
        xTickLabelRotation: 0,
        legend,
        tooltip: { mode: 'multi', sort: 'none' },
      };
    case 'table':
      return {
        showHeader: true,
        cellHeight: 'sm',
        footer: { show: false, reducer: ['sum'], fields: '', countRows: false },
      };
  }
}

/** One dashboard as the JSON object Grafana loads. */
export function dashboardJson(d: DashboardSpec) {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  const panels = d.panels.map((p, i) => {
    if (x + p.w > 24) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const gridPos = { h: p.h, w: p.w, x, y };
    x += p.w;
    rowHeight = Math.max(rowHeight, p.h);
    return {
      id: i + 1,
      type: p.type,
      title: p.title,
      ...(p.description ? { description: p.description } : {}),
      gridPos,
      datasource: POSTGRES,
      targets: [
        {
          refId: 'A',
          datasource: POSTGRES,
          editorMode: 'code',
          format: p.type === 'timeseries' ? 'time_series' : 'table',
          rawQuery: true,
          rawSql: p.sql,
        },
      ],
      fieldConfig: fieldConfig(p),
      options: options(p),
      ...(p.matrix
        ? {
            transformations: [
              {
                id: 'groupingToMatrix',
                options: { rowField: p.matrix.row, columnField: p.matrix.column, valueField: p.matrix.value },
              },
            ],
          }
        : {}),
    };
  });
  return {
    uid: d.uid,
    title: d.title,
    description: d.description,
    tags: ['ccost'],
    timezone: 'utc',
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-30d', to: 'now' },
    timepicker: {},
    refresh: '',
    fiscalYearStartMonth: 0,
    liveNow: false,
    weekStart: '',
    links: [
      {
        title: 'ccost',
        type: 'dashboards',
        tags: ['ccost'],
        asDropdown: true,
        includeVars: true,
        keepTime: true,
      },
    ],
    annotations: { list: [] },
    templating: { list: d.variables.map(variableJson) },
    panels,
  };
}

/** Every dashboard file: name → text, exactly as committed. */
export function dashboardFiles(): Map<string, string> {
  return new Map(DASHBOARDS.map((d) => [d.file, `${JSON.stringify(dashboardJson(d), null, 2)}\n`]));
}

export const DASHBOARDS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dashboards');

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  mkdirSync(DASHBOARDS_DIR, { recursive: true });
  for (const [file, text] of dashboardFiles()) writeFileSync(path.join(DASHBOARDS_DIR, file), text);
  console.log(`wrote ${DASHBOARDS.length} dashboards to ${path.relative(process.cwd(), DASHBOARDS_DIR)}`);
}
