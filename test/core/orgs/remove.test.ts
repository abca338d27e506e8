import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeCost } from '../../../src/core/billing/cost.ts';
import { upsertBillingLines } from '../../../src/core/billing/store.ts';
import { closeMonth } from '../../../src/core/close/close.ts';
import { restateMonth } from '../../../src/core/close/restate.ts';
import { collectOrg } from '../../../src/core/collect/collection.ts';
import { monthlyCloseKey } from '../../../src/core/digests/monthly-close.ts';
import { writeAllocationExport } from '../../../src/core/export/allocation.ts';
import { importAllocationExport } from '../../../src/core/imports/allocation-export.ts';
import {
  listOrganizations,
  ORG_ROWS_WITHOUT_ORG_ID,
  OrganizationNotFoundError,
  OrganizationRemovalError,
  type RemovalStep,
  removalPlan,
  removeOrganization,
  schemaTables,
  UncoveredTableError,
} from '../../../src/core/orgs/remove.ts';
import { collectJobName } from '../../../src/core/pipeline/jobs.ts';
import { buildReport } from '../../../src/core/reports/report.ts';
import type { Store } from '../../../src/core/storage/database.ts';
import { jobRuns, sentMessages } from '../../../src/core/storage/schema.ts';
import { TeamResolver } from '../../../src/core/teams/resolver.ts';
import { simulatorClients, startSimulatedOrg } from '../../helpers/simulated.ts';
import { createTestStore } from '../../helpers/store.ts';

const NOW = '2026-11-05T06:00:00Z';
const now = new Date(NOW);
const MONTH = '2026-10';
/** The organization that stays, and the one removed: the same simulated data under two ids. */
const KEEP = 'org-keep';
const GONE = 'org-gone';

describe('removing an organization', () => {
  let store: Store;
  let org: Awaited<ReturnType<typeof startSimulatedOrg>>;
  let dir: string;
  const plan = () => removalPlan();
  const stepOf = (table: string): RemovalStep => plan().find((s) => s.table === table)!;

  /** Every row of `table` (whole rows as JSON, serial ids and timestamps included) matching `where`. */
  const rowsOf = async (table: string, where: ReturnType<RemovalStep['where']>) => {
    const [row] = await store.query<{ rows: string }>(
      sql`select coalesce(json_agg(r order by r::text), '[]')::text as rows
          from (select to_jsonb(t) as r from ${sql.identifier(table)} t where ${where}) s`,
    );
    return row!.rows;
  };
  /** Every table's rows that are not `orgId`'s: what must come out of its removal byte for byte. */
  const snapshotWithout = async (orgId: string) => {
    const out: Record<string, string> = {};
    for (const step of plan()) out[step.table] = await rowsOf(step.table, sql`not (${step.where(orgId)})`);
    return out;
  };
  const snapshotOf = async (orgId: string) => {
    const out: Record<string, string> = {};
    for (const step of plan()) out[step.table] = await rowsOf(step.table, step.where(orgId));
    return out;
  };
  const countsOf = async (orgId: string) => {
    const out: Record<string, number> = {};
    for (const step of plan()) {
      const [row] = await store.query<{ n: number }>(
        sql`select count(*)::int as n from ${sql.identifier(step.table)} where ${step.where(orgId)}`,
      );
      out[step.table] = Number(row!.n);
    }
    return out;
  };
  const closedReport = (orgId: string) =>
    buildReport(store, { month: MONTH, by: 'team', orgId, asClosed: true });

  /** Collects, allocates, closes and restates October, imports its native export, and records jobs and digests. */
  async function populate(orgId: string) {
    await collectOrg(store, {
      orgId,
      ...simulatorClients(org.sim),
      since: '2026-10-01',
      until: '2026-11-01',
      now,
    });
    const billed = new Decimal(org.model.billingTotal('2026-10-01', '2026-11-01')).toFixed();
    const config = { ...org.config, organizations: [{ id: orgId, invoices: {} }] };
    await closeMonth(store, { orgId, month: MONTH, config, invoiceSubtotal: billed, now });
    // A late correction: one line changes (a billing_line_versions row) and the month is restated.
    const [line] = await store.query<{ raw: Parameters<typeof normalizeCost>[0] }>(
      sql`select raw from billing_lines where org_id = ${orgId} and product = 'KAFKA' order by id limit 1`,
    );
    const raw = { ...line!.raw, amount: '0.01', original_amount: '0.01', discount_amount: '0' };
    await upsertBillingLines(store, orgId, [normalizeCost(raw)]);
    await restateMonth(store, { orgId, month: MONTH, config, reason: 'credit note', now });
    const file = path.join(dir, `${orgId}.csv`);
    await writeAllocationExport(store, { orgId, month: MONTH, granularity: 'monthly', file });
    await importAllocationExport(store, { orgId, filePath: file, resolver: new TeamResolver(config) });
    await store.db.insert(sentMessages).values([
      { key: monthlyCloseKey(orgId, MONTH), kind: 'monthly_close', channel: 'C-FIN', status: 'sent' },
      { key: monthlyCloseKey(orgId, '2026-09'), kind: 'monthly_close', channel: 'C-FIN', status: 'failed' },
    ]);
    await store.db.insert(jobRuns).values({
      job: collectJobName(orgId),
      holder: 'test:1',
      outcome: 'succeeded',
      startedAt: now,
      finishedAt: now,
    });
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ccost-orgs-'));
    org = await startSimulatedOrg({ now: NOW });
    store = await createTestStore();
    await populate(KEEP);
    await populate(GONE);
    // Rows that belong to no organization: team digests and the allocation job.
    await store.db.insert(sentMessages).values({
      key: 'budget:payments:2026-10:80',
      kind: 'budget',
      channel: 'C-PAY',
      status: 'sent',
    });
    await store.db
      .insert(jobRuns)
      .values({ job: 'allocate', holder: 'test:1', outcome: 'succeeded', startedAt: now, finishedAt: now });
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    await org?.sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('covers every table of the schema and of the database', async () => {
    const planned = plan().map((s) => s.table);
    expect(new Set(planned).size).toBe(planned.length);
    expect([...planned].sort()).toEqual([...schemaTables().keys()].sort());
    const inDb = await store.query<{ name: string }>(
      sql`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE'`,
    );
    // drizzle's migration journal sits beside the tables when ccost has its own schema.
    const ignored = ['__drizzle_migrations'];
    expect(inDb.map((t) => t.name).filter((t) => !planned.includes(t) && !ignored.includes(t))).toEqual([]);
    // Children are emptied before the tables their conditions read; the organization goes last.
    expect(planned.indexOf('billing_line_versions')).toBeLessThan(planned.indexOf('billing_lines'));
    expect(planned.at(-1)).toBe('organizations');
  });

  it('refuses to run when a table without org_id is not covered', () => {
    const saved = ORG_ROWS_WITHOUT_ORG_ID.job_runs!;
    delete ORG_ROWS_WITHOUT_ORG_ID.job_runs;
    try {
      expect(() => removalPlan()).toThrow(UncoveredTableError);
      expect(() => removalPlan()).toThrow(/job_runs/);
    } finally {
      ORG_ROWS_WITHOUT_ORG_ID.job_runs = saved;
    }
  });

  it('has rows of both organizations in every table before the removal (the test exercises them all)', async () => {
    for (const orgId of [KEEP, GONE]) {
      const counts = await countsOf(orgId);
      const empty = Object.entries(counts).filter(([, n]) => n === 0);
      expect(empty, `${orgId}: tables without rows`).toEqual([]);
    }
    expect((await listOrganizations(store)).map((o) => [o.id, o.closedMonths])).toEqual([
      [GONE, [MONTH]],
      [KEEP, [MONTH]],
    ]);
  });

  it('counts in a dry run and changes nothing', async () => {
    const before = await snapshotWithout('nobody');
    const report = await removeOrganization(store, GONE, { dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(Object.fromEntries(report.tables.map((t) => [t.table, t.rows]))).toEqual(await countsOf(GONE));
    expect(report.closedMonths).toEqual([MONTH]);
    expect(await snapshotWithout('nobody')).toEqual(before);
  });

  it('rolls everything back when a delete fails half way', async () => {
    const before = await snapshotWithout('nobody');
    // The last org_id table fails: every table before it has been emptied by then.
    const failing = plan()
      .filter((s) => s.by === 'org_id')
      .at(-1)!.table;
    await store.query(
      sql.raw(`create function fail_removal() returns trigger as $$ begin
        raise exception 'injected failure'; end; $$ language plpgsql`),
    );
    await store.query(
      sql.raw(
        `create trigger fail_removal before delete on ${failing} for each row execute function fail_removal()`,
      ),
    );
    try {
      const error = await removeOrganization(store, GONE).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OrganizationRemovalError);
      expect((error as OrganizationRemovalError).message).toBe(
        `removing ${GONE} failed in table ${failing}, so nothing was removed: injected failure`,
      );
    } finally {
      await store.query(sql.raw(`drop trigger fail_removal on ${failing}`));
      await store.query(sql.raw('drop function fail_removal()'));
    }
    expect(await snapshotWithout('nobody')).toEqual(before);
  });

  it('removes every row of the organization and leaves the other byte for byte identical', async () => {
    const keptBefore = await snapshotWithout(GONE);
    const keepRows = await snapshotOf(KEEP);
    const closedBefore = await closedReport(KEEP);
    const expected = await countsOf(GONE);

    const report = await removeOrganization(store, GONE);

    expect(report.dryRun).toBe(false);
    expect(Object.fromEntries(report.tables.map((t) => [t.table, t.rows]))).toEqual(expected);
    expect(report.total).toBe(Object.values(expected).reduce((a, b) => a + b, 0));
    for (const [table, n] of Object.entries(await countsOf(GONE))) expect(n, table).toBe(0);
    expect(await snapshotWithout(GONE)).toEqual(keptBefore);
    expect(await snapshotOf(KEEP)).toEqual(keepRows);
    expect(await closedReport(KEEP)).toEqual(closedBefore);
    // Rows of no organization stay.
    expect(await rowsOf('sent_messages', sql`key like 'budget:%'`)).toContain('budget:payments:2026-10:80');
    expect(await rowsOf('job_runs', stepOf('job_runs').where(KEEP))).toContain(collectJobName(KEEP));
    expect((await listOrganizations(store)).map((o) => o.id)).toEqual([KEEP]);
  });

  it('leaves the closed months of the other organization protected', async () => {
    const [close] = await store.query<{ run_id: string }>(
      sql`select run_id from period_closes where org_id = ${KEEP}`,
    );
    const error = await store
      .query(sql`delete from allocations where run_id = ${close!.run_id}`)
      .catch((e: unknown) => e as Error);
    expect(String((error as Error).cause ?? error)).toMatch(/belongs to a closed month/);
  });

  it('says so when nothing of the organization is stored', async () => {
    await expect(removeOrganization(store, GONE)).rejects.toBeInstanceOf(OrganizationNotFoundError);
    await expect(removeOrganization(store, 'org-never', { dryRun: true })).rejects.toThrow(
      /no data of organization org-never/,
    );
  });
});
