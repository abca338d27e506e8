import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import type { Config } from '../../../src/core/config/schema.ts';
import { observedUsage } from '../../../src/core/costs/usage.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { createApi } from '../../../src/server/api/app.ts';
import { loadTokens } from '../../../src/server/api/auth.ts';
import { allocatedSum } from '../../helpers/allocated.ts';
import { collectFrom, startSimulatedOrg } from '../../helpers/simulated.ts';
import { createTestStore } from '../../helpers/store.ts';

const NOW = new Date('2026-10-21T06:00:00Z');
const env = {
  CCOST_ADMIN_TOKEN: 'admin-secret-1',
  CCOST_TEAM_TOKEN: 'team-secret-2',
  CCOST_OPS_TOKEN: 'ops-secret-3',
};

describe('REST API', () => {
  let store: Store;
  let org: Awaited<ReturnType<typeof startSimulatedOrg>>;
  let server: Server;
  let base: string;
  let config: Config;
  let teamA: string;
  let teamB: string;
  const triggered: (string | undefined)[] = [];
  const get = (path: string, token = env.CCOST_ADMIN_TOKEN, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });

  beforeAll(async () => {
    org = await startSimulatedOrg({ now: NOW.toISOString() });
    store = await createTestStore();
    await collectFrom(store, org.sim, org.model, { since: '2026-10-01', until: '2026-10-21', now: NOW });
    await allocateMonth(store, { orgId: org.orgId, month: '2026-10', config: org.config });
    [teamA, teamB] = Object.keys(org.config.teams).filter((t) => org.config.teams[t]!.budget) as [
      string,
      string,
    ];
    config = parseConfig({
      ...org.config,
      api: {
        tokens: [
          { name: 'finance', token_env: 'CCOST_ADMIN_TOKEN' },
          { name: 'team-a', token_env: 'CCOST_TEAM_TOKEN', teams: [teamA] },
          { name: 'ops', token_env: 'CCOST_OPS_TOKEN', trigger: true },
        ],
      },
    });
    const app = createApi({
      store,
      config,
      now: () => NOW,
      tokens: loadTokens(config, env),
      triggers: {
        collect: async ({ orgId }) => {
          triggered.push(orgId);
          return { job: 'collect', status: 'started' };
        },
      },
      logError: () => {},
    });
    server = createServer(getRequestListener(app.fetch));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
    await org.sim.stop();
  });

  it('answers costs by team matching the allocations exactly', async () => {
    const res = await get('/api/v1/costs?from=2026-10-01&to=2026-10-21&group_by=team');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total: string; rows: { team: string; amount: string }[] };
    expect(body.total).toBe(await allocatedSum(store, sql`true`));
    for (const row of body.rows)
      expect(row.amount).toBe(await allocatedSum(store, sql`a.team = ${row.team}`));
  });

  it('answers CSV by format or Accept header', async () => {
    const res = await get(
      '/api/v1/costs?from=2026-10-01&to=2026-10-03&group_by=product&granularity=day&format=csv',
    );
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect((await res.text()).split('\r\n')[0]).toBe('period,product,amount');
    const byHeader = await get('/api/v1/costs?from=2026-10-01&to=2026-10-03', env.CCOST_ADMIN_TOKEN, {
      accept: 'text/csv',
    });
    expect((await byHeader.text()).startsWith('amount\r\n')).toBe(true);
  });

  it('refuses bad parameters with a 400 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['/api/v1/costs?to=2026-10-21', 'from'],
      ['/api/v1/costs?from=2026-10-01&to=2026-10-21&group_by=colour', 'group_by.0'],
      ['/api/v1/costs?from=2026-10-01&to=2026-10-21&granularity=hour', 'granularity'],
      ['/api/v1/costs?from=2026-10-01&to=2026-10-21&credits=maybe', 'credits'],
      ['/api/v1/costs?from=2026-10-01&to=2026-10-21&format=xml', 'format'],
      ['/api/v1/costs?from=2026-10-01&to=2026-10-21&colour=red', 'query'],
      [`/api/v1/teams/${teamA}/budget?month=2026-13`, 'month'],
      ['/api/v1/prices?from=yesterday', 'from'],
    ];
    for (const [path, parameter] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      const body = (await res.json()) as { error: { code: string; parameter: string; message: string } };
      expect(body.error.code).toBe('invalid_parameter');
      if (parameter !== 'query') expect(body.error.parameter, path).toBe(parameter);
      expect(body.error.message.length).toBeGreaterThan(5);
    }
  });

  it('refuses missing and wrong tokens with 401 and unknown routes with 404', async () => {
    const none = await fetch(`${base}/api/v1/periods`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect((await get('/api/v1/periods', 'admin-secret-X')).status).toBe(401);
    const missing = await get('/api/v1/nothing');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await get('/api/v1/dimensions/colours')).status).toBe(404);
    expect((await get('/api/v1/teams/nobody/budget')).status).toBe(404);
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
  });

  it('keeps a team-scoped token to its team', async () => {
    const own = await get('/api/v1/costs?from=2026-10-01&to=2026-10-21&group_by=team', env.CCOST_TEAM_TOKEN);
    const body = (await own.json()) as { total: string; rows: { team: string }[] };
    expect(body.rows.map((r) => r.team)).toEqual([teamA]);
    expect(body.total).toBe(await allocatedSum(store, sql`a.team = ${teamA}`));
    const other = await get(
      `/api/v1/costs?from=2026-10-01&to=2026-10-21&team=${teamB}`,
      env.CCOST_TEAM_TOKEN,
    );
    expect(other.status).toBe(403);
    expect((await get(`/api/v1/teams/${teamB}/budget`, env.CCOST_TEAM_TOKEN)).status).toBe(403);
    expect((await get(`/api/v1/teams/${teamA}/budget`, env.CCOST_TEAM_TOKEN)).status).toBe(200);
    const teams = (await (await get('/api/v1/dimensions/teams', env.CCOST_TEAM_TOKEN)).json()) as {
      values: { id: string }[];
    };
    expect(teams.values.map((v) => v.id)).toEqual([teamA]);
    const resources = (await (await get('/api/v1/resources', env.CCOST_TEAM_TOKEN)).json()) as {
      resources: { team: string }[];
    };
    expect(resources.resources.every((r) => r.team === teamA)).toBe(true);
    const periods = (await (await get('/api/v1/periods', env.CCOST_TEAM_TOKEN)).json()) as {
      periods: { total: null }[];
    };
    expect(periods.periods.every((p) => p.total === null)).toBe(true);
  });

  it('answers budget, resources, periods, dimensions and prices', async () => {
    const budget = (await (await get(`/api/v1/teams/${teamA}/budget?month=2026-10`)).json()) as Record<
      string,
      string
    >;
    expect(budget.monthly).toBe(config.teams[teamA]!.budget!.monthly);
    expect(budget.actual).toBe(await allocatedSum(store, sql`a.team = ${teamA}`));
    const periods = (await (await get('/api/v1/periods')).json()) as {
      periods: { month: string; state: string }[];
    };
    expect(periods.periods.map((p) => [p.month, p.state])).toEqual([['2026-10', 'open']]);
    const clusters = (await (await get('/api/v1/dimensions/clusters')).json()) as { values: unknown[] };
    expect(clusters.values).toHaveLength(org.model.org.clusters.length);
    const resources = (await (await get('/api/v1/resources')).json()) as {
      resources: {
        id: string;
        monthToDate: string;
        usage: { ingress_gb_month: string; egress_gb_month: string; storage_gb: string | null } | null;
      }[];
    };
    const observed = await observedUsage(store, { now: NOW });
    for (const r of resources.resources) {
      expect(r.usage).toEqual(observed.find((o) => o.id === r.id)!.usage);
    }
    expect(resources.resources.some((r) => r.usage && Number(r.usage.ingress_gb_month) > 0)).toBe(true);
    const mtd = resources.resources.reduce((s, r) => s.plus(r.monthToDate), new Decimal(0));
    expect(mtd.lte(await allocatedSum(store, sql`true`))).toBe(true);
    const prices = (await (await get('/api/v1/prices?from=2026-10-01&to=2026-10-21')).json()) as {
      prices: unknown[];
    };
    expect(prices.prices.length).toBeGreaterThan(0);
  });

  it('triggers collection only with a trigger token', async () => {
    const refused = await fetch(`${base}/api/v1/collect`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.CCOST_ADMIN_TOKEN}` },
    });
    expect(refused.status).toBe(403);
    const bad = await fetch(`${base}/api/v1/collect`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.CCOST_OPS_TOKEN}` },
      body: '{nope',
    });
    expect(bad.status).toBe(400);
    const started = await fetch(`${base}/api/v1/collect`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.CCOST_OPS_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ org: org.orgId }),
    });
    expect(started.status).toBe(202);
    expect(triggered).toEqual([org.orgId]);
  });

  it('serves its OpenAPI document without a token, listing every route', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/api/v1/costs',
      '/api/v1/teams/{team}/budget',
      '/api/v1/prices',
      '/api/v1/resources',
      '/api/v1/periods',
      '/api/v1/dimensions/{kind}',
      '/api/v1/collect',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
  });

  it('serves what it is at / and a readable reference at /docs, without a token', async () => {
    const root = (await (await fetch(`${base}/`)).json()) as {
      service: string;
      links: Record<string, string>;
    };
    expect(root.service).toBe('ccost');
    expect(root.links.docs).toBe('/docs');
    const docs = await fetch(`${base}/docs`);
    expect(docs.headers.get('content-type')).toContain('text/html');
    const html = await docs.text();
    expect(html).toContain('<code>/api/v1/costs</code>');
    expect(html).toContain('<code>group_by</code>');
  });

  it('refuses to load tokens whose variable is unset, naming it', () => {
    expect(() => loadTokens(config, { CCOST_ADMIN_TOKEN: 'x' })).toThrow(/CCOST_TEAM_TOKEN, CCOST_OPS_TOKEN/);
  });
});
