import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DASHBOARDS, DASHBOARDS_DIR, dashboardFiles } from '../../grafana/generate.ts';
import type { Store } from '../../src/core/storage/database.ts';
import { dashboardStore, FIXTURE_RANGE } from './fixture.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Target {
  refId: string;
  rawSql: string;
  format: string;
  datasource: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource: { type: string; uid: string };
  targets: Target[];
}
interface Variable {
  name: string;
  type: string;
  query: string;
  multi: boolean;
  includeAll: boolean;
  datasource: { type: string; uid: string };
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Variable[] };
}

const files = readdirSync(DASHBOARDS_DIR).filter((f) => f.endsWith('.json'));
const dashboards = files.map((f) => ({
  file: f,
  json: JSON.parse(readFileSync(path.join(DASHBOARDS_DIR, f), 'utf8')) as Dashboard,
}));

function provisionedDatasources(): { uid: string; type: string }[] {
  const doc = parse(readFileSync(path.join(ROOT, 'grafana/provisioning/datasources/ccost.yaml'), 'utf8')) as {
    datasources: { uid: string; type: string }[];
  };
  return doc.datasources;
}

/** A SQL string literal, as Grafana quotes each value of a multi-value variable. */
const quote = (v: string) => `'${v.replaceAll("'", "''")}'`;

/**
 * Expands Grafana's SQL macros and template variables the way Grafana's PostgreSQL datasource
 * does: `$__timeFilter(col)` → `col BETWEEN '<from>' AND '<to>'`, `$__timeFrom()`/`$__timeTo()`
 * → quoted RFC 3339 times, a multi-value or include-all variable → its quoted values joined by
 * commas (also `${name:sqlstring}`), a single-value one → its raw value.
 */
function expandGrafana(
  text: string,
  range: { from: string; to: string },
  variables: Map<string, { values: string[]; quoted: boolean }>,
): string {
  const expanded = text
    .replace(
      /\$__timeFilter\(([^()]+)\)/g,
      (_, col: string) => `${col.trim()} BETWEEN '${range.from}' AND '${range.to}'`,
    )
    .replace(/\$__timeFrom\(\)/g, `'${range.from}'`)
    .replace(/\$__timeTo\(\)/g, `'${range.to}'`)
    .replace(/\$\{(\w+)(?::(\w+))?\}|\$(\w+)/g, (match, braced?: string, format?: string, bare?: string) => {
      const name = (braced ?? bare)!;
      const variable = variables.get(name);
      if (!variable) throw new Error(`unknown variable or macro ${match}`);
      if (format && format !== 'sqlstring' && format !== 'raw')
        throw new Error(`unsupported format ${match}`);
      if (format === 'raw' || (!format && !variable.quoted)) return variable.values.join(',');
      return variable.values.map(quote).join(',');
    });
  return expanded;
}

/** Runs a query and returns its column names (even with no rows) and rows. */
async function run(store: Store, text: string) {
  const result = (await store.db.execute(sql.raw(text))) as unknown as {
    rows?: Record<string, unknown>[];
    fields?: { name: string }[];
    columns?: { name: string }[];
  } & Record<string, unknown>[];
  if (result.fields && result.rows) return { columns: result.fields.map((f) => f.name), rows: result.rows };
  const rows = [...result];
  return { columns: (result.columns ?? []).map((c) => c.name), rows };
}

describe('dashboard files', () => {
  const uids = new Set(provisionedDatasources().map((d) => d.uid));

  it('provisions the PostgreSQL and Prometheus datasources with fixed uids', () => {
    expect(provisionedDatasources()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ uid: 'ccost-pg', type: 'grafana-postgresql-datasource' }),
        expect.objectContaining({ uid: 'ccost-prom', type: 'prometheus' }),
      ]),
    );
  });

  it('are exactly what grafana/generate.ts produces', () => {
    const generated = dashboardFiles();
    expect(files.sort()).toEqual([...generated.keys()].sort());
    for (const [file, text] of generated) {
      expect(readFileSync(path.join(DASHBOARDS_DIR, file), 'utf8'), `${file}: run npm run grafana`).toBe(
        text,
      );
    }
  });

  it('has the seven dashboards with unique uids and titles', () => {
    expect(dashboards.map((d) => d.json.uid).sort()).toEqual([
      'ccost-chargeback',
      'ccost-clusters',
      'ccost-confidence',
      'ccost-executive',
      'ccost-history',
      'ccost-products',
      'ccost-reconciliation',
    ]);
    expect(new Set(dashboards.map((d) => d.json.title)).size).toBe(dashboards.length);
  });

  it.each(dashboards)('$file has the shape Grafana loads', ({ json }) => {
    expect(json.schemaVersion).toBeGreaterThanOrEqual(39);
    expect(json.panels.length).toBeGreaterThan(0);
    expect(new Set(json.panels.map((p) => p.id)).size).toBe(json.panels.length);
    const defined = new Set(json.templating.list.map((v) => v.name));
    for (const v of json.templating.list) {
      expect(v.type).toBe('query');
      expect(uids.has(v.datasource.uid), `${v.name}: datasource ${v.datasource.uid}`).toBe(true);
    }
    for (const panel of json.panels) {
      const where = `${json.uid} / ${panel.title}`;
      expect(panel.gridPos.x + panel.gridPos.w, where).toBeLessThanOrEqual(24);
      expect(panel.gridPos.h, where).toBeGreaterThan(0);
      expect(uids.has(panel.datasource.uid), where).toBe(true);
      expect(panel.targets.length, where).toBeGreaterThan(0);
      for (const target of panel.targets) {
        expect(uids.has(target.datasource.uid), where).toBe(true);
        expect(target.datasource.type).toBe('grafana-postgresql-datasource');
        expect(['time_series', 'table']).toContain(target.format);
        expect(target.format === 'time_series', where).toBe(panel.type === 'timeseries');
        // Every cost query reads the current runs only.
        if (/allocation_(rollups|s) x/.test(target.rawSql)) {
          expect(target.rawSql, where).toContain(
            'join allocation_runs r on r.id = x.run_id and r.is_current',
          );
        }
        const used = [...target.rawSql.matchAll(/\$\{?(\w+)/g)]
          .map((m) => m[1]!)
          .filter((n) => !n.startsWith('__'));
        for (const name of used) expect(defined.has(name), `${where}: $${name}`).toBe(true);
      }
    }
    // Panels never overlap.
    const cells = new Set<string>();
    for (const { gridPos: g } of json.panels) {
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });
});

describe('dashboard queries against the schema with data', () => {
  let store: Store;
  let teams: string[];
  let orgId: string;

  beforeAll(async () => {
    ({ store, orgId, teams } = await dashboardStore());
  }, 240_000);
  afterAll(async () => {
    await store?.close();
  });

  /** Resolves a dashboard's variables in order, each to all its values ("All"), or the first one. */
  async function resolveVariables(json: Dashboard, pick: 'all' | 'first') {
    const variables = new Map<string, { values: string[]; quoted: boolean }>();
    for (const v of json.templating.list) {
      const { columns, rows } = await run(store, expandGrafana(v.query, FIXTURE_RANGE, variables));
      expect(columns, `${json.uid} $${v.name}`).toEqual(['__value', '__text']);
      const values = rows.map((r) => String(r.__value));
      expect(values.length, `${json.uid} $${v.name} has values`).toBeGreaterThan(0);
      expect(new Set(values).size).toBe(values.length);
      variables.set(v.name, {
        values: pick === 'all' ? values : values.slice(0, 1),
        quoted: v.multi || v.includeAll,
      });
    }
    return variables;
  }

  it('resolves the variables to the simulated org and its teams', async () => {
    const chargeback = dashboards.find((d) => d.json.uid === 'ccost-chargeback')!.json;
    const variables = await resolveVariables(chargeback, 'all');
    expect(variables.get('org')!.values).toEqual([orgId]);
    expect(variables.get('team')!.values).toEqual(expect.arrayContaining(teams));
  });

  it.each(dashboards)(
    'runs every panel of $file with all values, with the expected columns and rows',
    async ({ json }) => {
      const spec = DASHBOARDS.find((d) => d.uid === json.uid)!;
      const variables = await resolveVariables(json, 'all');
      for (const panel of json.panels) {
        const panelSpec = spec.panels[panel.id - 1]!;
        expect(panelSpec.title).toBe(panel.title);
        const where = `${json.uid} / ${panel.title}`;
        for (const target of panel.targets) {
          const text = expandGrafana(target.rawSql, FIXTURE_RANGE, variables);
          const { columns, rows } = await run(store, text).catch((e: Error) => {
            throw new Error(`${where}: ${String(e.cause ?? e.message)}\n${text}`);
          });
          expect(columns, where).toEqual(panelSpec.columns);
          if (!panelSpec.mayBeEmpty) expect(rows.length, `${where} returns rows`).toBeGreaterThan(0);
          if (target.format === 'time_series') {
            expect(columns[0], where).toBe('time');
            const times = rows.map((r) => new Date(r.time as string | Date).getTime());
            expect(
              times.every((t) => Number.isFinite(t)),
              where,
            ).toBe(true);
            expect(times, `${where}: ordered by time`).toEqual([...times].sort((a, b) => a - b));
          }
        }
      }
    },
  );

  it.each(dashboards)('runs every panel of $file with one value of each variable', async ({ json }) => {
    const variables = await resolveVariables(json, 'first');
    for (const panel of json.panels) {
      for (const target of panel.targets) {
        await expect(
          run(store, expandGrafana(target.rawSql, FIXTURE_RANGE, variables)),
          `${json.uid} / ${panel.title}`,
        ).resolves.toBeDefined();
      }
    }
  });

  it('agrees with the current allocation: the executive net cost is the sum of the current runs', async () => {
    const json = dashboards.find((d) => d.json.uid === 'ccost-executive')!.json;
    const variables = await resolveVariables(json, 'all');
    const net = json.panels.find((p) => p.title === 'Net cost')!;
    const { rows } = await run(store, expandGrafana(net.targets[0]!.rawSql, FIXTURE_RANGE, variables));
    const [expected] = await store.query<{ s: string }>(
      sql`select sum(total)::text as s from allocation_runs where is_current and org_id = ${orgId}`,
    );
    expect(String(rows[0]!['Net cost'])).toBe(expected!.s);
  });

  it('shows the restatement and the closed month', async () => {
    const json = dashboards.find((d) => d.json.uid === 'ccost-reconciliation')!.json;
    const variables = await resolveVariables(json, 'all');
    const status = json.panels.find((p) => p.title === 'Month status')!;
    const { rows } = await run(store, expandGrafana(status.targets[0]!.rawSql, FIXTURE_RANGE, variables));
    const october = rows.find((r) => r.Month === '2026-10')!;
    expect(october).toMatchObject({ State: 'closed', Passed: true, Restatements: expect.anything() });
    expect(String(october.Restatements)).toBe('1');
    expect(Number(october['As closed']) - Number(october.Allocated)).toBeCloseTo(100, 6);
    expect(rows.find((r) => r.Month === '2026-11')).toMatchObject({ Passed: false });
  });
});
