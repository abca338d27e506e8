import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateMonth } from '../../../src/core/allocation/run.ts';
import { parseConfig } from '../../../src/core/config/load.ts';
import { collectJobName } from '../../../src/core/pipeline/jobs.ts';
import { withJobLock } from '../../../src/core/schedule/lock.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { createApi } from '../../../src/server/api/app.ts';
import { loadTokens } from '../../../src/server/api/auth.ts';
import { loadSeedExample } from '../../helpers/seed-example.ts';
import { createTestStore } from '../../helpers/store.ts';

const env = {
  CCOST_ADMIN_TOKEN: 'admin-secret-1',
  CCOST_READ_TOKEN: 'read-secret-2',
  CCOST_TEAM_ADMIN_TOKEN: 'team-admin-secret-3',
};

describe('DELETE /api/v1/orgs/{org}', () => {
  let store: Store;
  let server: Server;
  let base: string;
  const call = (method: string, path: string, token = env.CCOST_ADMIN_TOKEN) =>
    fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  const linesOf = async (orgId: string) =>
    Number(
      (
        await store.query<{ n: number }>(
          sql`select count(*)::int as n from billing_lines where org_id = ${orgId}`,
        )
      )[0]!.n,
    );

  beforeAll(async () => {
    store = await createTestStore();
    const config = parseConfig({
      teams: { platform: { owners: [{ environment: 'env-xxx' }] } },
      api: {
        tokens: [
          { name: 'admin', token_env: 'CCOST_ADMIN_TOKEN', admin: true },
          { name: 'reader', token_env: 'CCOST_READ_TOKEN', trigger: true },
          { name: 'team-admin', token_env: 'CCOST_TEAM_ADMIN_TOKEN', admin: true, teams: ['platform'] },
        ],
      },
    });
    for (const org of ['org-a', 'org-b']) {
      await loadSeedExample(store, org);
      await allocateMonth(store, { orgId: org, month: '2026-10', config });
    }
    const app = createApi({
      store,
      config,
      now: () => new Date('2026-11-10T00:00:00Z'),
      tokens: loadTokens(config, env),
      logError: () => {},
    });
    server = createServer(getRequestListener(app.fetch));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await store.close();
  });

  it('lists the stored organizations', async () => {
    const res = await call('GET', '/api/v1/orgs', env.CCOST_READ_TOKEN);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { organizations: { id: string; billingLines: number }[] };
    expect(body.organizations.map((o) => [o.id, o.billingLines])).toEqual([
      ['org-a', 8],
      ['org-b', 8],
    ]);
    expect((await call('GET', '/api/v1/orgs', env.CCOST_TEAM_ADMIN_TOKEN)).status).toBe(403);
  });

  it('refuses tokens without admin, team-restricted tokens and no token', async () => {
    for (const token of [env.CCOST_READ_TOKEN, env.CCOST_TEAM_ADMIN_TOKEN]) {
      const res = await call('DELETE', '/api/v1/orgs/org-a', token);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({
        error: {
          code: 'forbidden',
          message:
            'this token may not remove organizations; use a token with admin: true (and no teams) in api.tokens',
        },
      });
    }
    expect((await call('DELETE', '/api/v1/orgs/org-a', 'wrong')).status).toBe(401);
    expect(await linesOf('org-a')).toBe(8);
  });

  it('counts on dry_run=true and rejects a malformed dry_run', async () => {
    const res = await call('DELETE', '/api/v1/orgs/org-a?dry_run=true');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { dryRun: boolean; tables: { table: string; rows: number }[] };
    expect(body.dryRun).toBe(true);
    expect(body.tables.find((t) => t.table === 'billing_lines')!.rows).toBe(8);
    expect(await linesOf('org-a')).toBe(8);
    const bad = await call('DELETE', '/api/v1/orgs/org-a?dry_run=yes');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { parameter: string } }).error.parameter).toBe('dry_run');
  });

  it('answers 409 while a collection of the organization holds its lock', async () => {
    let status = 0;
    const locked = await withJobLock(store, collectJobName('org-a'), async () => {
      status = (await call('DELETE', '/api/v1/orgs/org-a')).status;
    });
    expect(locked.acquired).toBe(true);
    expect(status).toBe(409);
    expect(await linesOf('org-a')).toBe(8);
  });

  it('removes the organization with an admin token and answers the counts', async () => {
    const res = await call('DELETE', '/api/v1/orgs/org-a');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      orgId: string;
      dryRun: boolean;
      total: number;
      tables: { table: string; rows: number }[];
    };
    expect(body).toMatchObject({ orgId: 'org-a', dryRun: false, closedMonths: [] });
    const rows = Object.fromEntries(body.tables.map((t) => [t.table, t.rows]));
    expect(rows).toMatchObject({ billing_lines: 8, organizations: 1, allocation_runs: 1 });
    expect(body.total).toBe(body.tables.reduce((s, t) => s + t.rows, 0));
    expect(await linesOf('org-a')).toBe(0);
    expect(await linesOf('org-b')).toBe(8);
  });

  it('answers 404 for an organization with no data', async () => {
    const res = await call('DELETE', '/api/v1/orgs/org-a');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /^no data of organization org-a is stored/,
    );
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/api/v1/orgs/{org}']!)).toEqual(['delete']);
    expect(Object.keys(doc.paths['/api/v1/orgs']!)).toEqual(['get']);
  });
});
