import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import type { Explanation } from '../../../src/core/explain/types.ts';
import { buildReport } from '../../../src/core/reports/report.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { createApi } from '../../../src/server/api/app.ts';
import { loadTokens } from '../../../src/server/api/auth.ts';
import { collectFrom, startSimulatedOrg } from '../../helpers/simulated.ts';
import { createTestStore } from '../../helpers/store.ts';

const NOW = new Date('2026-10-21T06:00:00Z');
const env = { CCOST_ADMIN_TOKEN: 'admin-secret-1', CCOST_TEAM_TOKEN: 'team-secret-2' };
const RANGE = 'from=2026-10-01&to=2026-11-01';
const sum = (values: string[]) => values.reduce((s, v) => s.plus(v), new Decimal(0)).toFixed();

describe('GET /api/v1/explain on the simulated org', () => {
  let store: Store;
  let org: Awaited<ReturnType<typeof startSimulatedOrg>>;
  let server: Server;
  let base: string;
  let teamA: string;
  let teamB: string;
  const get = (path: string, token = env.CCOST_ADMIN_TOKEN) =>
    fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    org = await startSimulatedOrg({ now: NOW.toISOString() });
    store = await createTestStore();
    await collectFrom(store, org.sim, org.model, { since: '2026-10-01', until: '2026-10-21', now: NOW });
    await allocateMonth(store, { orgId: org.orgId, month: '2026-10', config: org.config });
    [teamA, teamB] = Object.keys(org.config.teams) as [string, string];
    const config = parseConfig({
      ...org.config,
      api: {
        tokens: [
          { name: 'finance', token_env: 'CCOST_ADMIN_TOKEN' },
          { name: 'team-a', token_env: 'CCOST_TEAM_TOKEN', teams: [teamA] },
        ],
      },
    });
    const app = createApi({
      store,
      config,
      now: () => NOW,
      tokens: loadTokens(config, env),
      logError: () => {},
    });
    server = createServer(getRequestListener(app.fetch));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
    await org.sim.stop();
  });

  it("explains every team's figure exactly as ccost report gives it; resources and lines add up", async () => {
    const report = await buildReport(store, { month: '2026-10', by: 'team' });
    expect(report.rows.length).toBeGreaterThan(2);
    for (const row of report.rows) {
      const res = await get(`/api/v1/explain?team=${encodeURIComponent(row.key)}&${RANGE}`);
      expect(res.status).toBe(200);
      const e = (await res.json()) as Explanation & { currency: string };
      expect(e.total).toBe(row.amount);
      expect(sum(e.children.map((c) => c.amount))).toBe(e.total);
      expect(sum(e.sections.map((s) => s.amount))).toBe(e.total);
    }
    const team = (await (await get(`/api/v1/explain?team=${teamA}&${RANGE}`)).json()) as Explanation;
    const top = team.children[0]!;
    const res = await get(`/api/v1/explain?team=${teamA}&${RANGE}&resource=${encodeURIComponent(top.key)}`);
    const resource = (await res.json()) as Explanation;
    expect(resource.level).toBe('resource');
    expect(resource.total).toBe(top.amount);
    expect(sum(resource.children.map((c) => c.amount))).toBe(resource.total);
    const line = resource.children[0]!;
    const lineRes = await get(`/api/v1/explain?team=${teamA}&${RANGE}&line=${line.key}`);
    const explained = (await lineRes.json()) as Explanation;
    expect(explained.total).toBe(line.amount);
    expect(sum(explained.children.map((c) => c.amount))).toBe(line.amount);
  });

  it('names the fallbacks the simulated org takes and why, as what would change the figure', async () => {
    const all = await Promise.all(
      Object.keys(org.config.teams).map(
        async (t) => (await (await get(`/api/v1/explain?team=${t}&${RANGE}`)).json()) as Explanation,
      ),
    );
    const methods = all.flatMap((e) => e.methods.map((m) => m.method));
    expect(methods).toContain('usage');
    const reasons = all.flatMap((e) => e.methods.map((m) => `${m.method}: ${m.fallbackReason}`));
    expect(reasons).toContain('resource: no active principals');
    expect(
      reasons.some((r) => /^kafka_cluster: split evenly across the \d Kafka clusters of env-/.test(r)),
    ).toBe(true);
    const hints = all.flatMap((e) => e.changes.filter((c) => c.kind === 'fallback').map((c) => c.text));
    expect(
      hints.some((h) =>
        /^no active principals: \$\d+\.\d\d on \d+ lines allocated by resource instead$/.test(h),
      ),
    ).toBe(true);
    expect(all.every((e) => e.runs.length === 1 && e.runs[0]!.rulesCurrent)).toBe(true);
  });

  it('scopes tokens to their teams: 403 for another team, 200 for its own', async () => {
    const other = await get(`/api/v1/explain?team=${teamB}&${RANGE}`, env.CCOST_TEAM_TOKEN);
    expect(other.status).toBe(403);
    expect(await other.json()).toEqual({
      error: { code: 'forbidden', message: `this token cannot read team ${teamB}`, parameter: 'team' },
    });
    expect((await get(`/api/v1/explain?team=${teamA}&${RANGE}`, env.CCOST_TEAM_TOKEN)).status).toBe(200);
    expect((await get(`/api/v1/explain?team=${teamA}&${RANGE}`, 'wrong')).status).toBe(401);
  });

  it('answers 400 naming the bad parameter, 404 for a team or step that is not there', async () => {
    const cases: [string, string][] = [
      [`team=${teamA}&from=2026-10&to=2026-11-01`, 'from'],
      [`from=2026-10-01&to=2026-11-01`, 'team'],
      [`team=${teamA}&${RANGE}&line=abc`, 'line'],
      [`team=${teamA}&${RANGE}&day=2026-10-02`, 'day'],
      [`team=${teamA}&from=2026-11-01&to=2026-10-01`, 'to'],
      [`team=${teamA}&${RANGE}&bogus=1`, 'query'],
    ];
    for (const [query, parameter] of cases) {
      const res = await get(`/api/v1/explain?${query}`);
      expect(res.status, query).toBe(400);
      const body = (await res.json()) as { error: { code: string; parameter?: string } };
      expect(body.error.code).toBe('invalid_parameter');
      if (parameter !== 'query') expect(body.error.parameter, query).toBe(parameter);
    }
    expect((await get(`/api/v1/explain?team=nobody-at-all&${RANGE}`)).status).toBe(404);
    expect((await get(`/api/v1/explain?team=${teamA}&${RANGE}&resource=lkc-nope`)).status).toBe(404);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(doc.paths['/api/v1/explain']).toBeDefined();
  });
});
