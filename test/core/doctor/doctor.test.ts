import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/core/config/load.ts';
import {
  CHECK_IDS,
  type CheckResult,
  checkOrganization,
  formatDoctor,
  type OrgDoctorReport,
  printableUrl,
  ROLE_ADVICE,
  runDoctor,
} from '../../../src/core/doctor/doctor.ts';
import { DOCTOR_KEY, DOCTOR_SECRET, type ForbiddingProxy, startForbiddingProxy } from './forbidding-proxy.ts';

const NOW = new Date('2026-11-05T06:00:00Z');
const env = { CCOST_KEY: DOCTOR_KEY, CCOST_SECRET: DOCTOR_SECRET };
const basic = Buffer.from(`${DOCTOR_KEY}:${DOCTOR_SECRET}`).toString('base64');

describe('ccost doctor checks', () => {
  let api: ForbiddingProxy;
  const org = () => ({
    id: 'org-sim',
    api_url: api.url,
    telemetry_url: `${api.url}/`,
    api_key_env: 'CCOST_KEY',
    api_secret_env: 'CCOST_SECRET',
    invoices: {},
  });
  const check = (o = org(), e: NodeJS.ProcessEnv = env) =>
    checkOrganization(o, { env: e, now: NOW, client: { sleep: async () => {} } });
  const byId = (report: OrgDoctorReport) =>
    Object.fromEntries(report.checks.map((c) => [c.id, c])) as Record<string, CheckResult>;
  const statuses = (report: OrgDoctorReport) =>
    Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
  /** Neither the secret nor the Basic token may appear anywhere in what the doctor returns or prints. */
  const expectNoSecret = (report: OrgDoctorReport) => {
    for (const text of [JSON.stringify(report), formatDoctor([report])]) {
      expect(text).not.toContain(DOCTOR_SECRET);
      expect(text).not.toContain(basic);
    }
  };

  beforeAll(async () => {
    api = await startForbiddingProxy(NOW.toISOString());
  });
  afterEach(() => api.clear());
  afterAll(async () => {
    await api.stop();
  });

  it('calls every API ccost uses once and finds all of them readable', async () => {
    const before = api.proxy.requests.length;
    const report = await check();
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    expect(Object.values(statuses(report))).toEqual(CHECK_IDS.map(() => 'ok'));
    const calls = api.proxy.requests
      .slice(before)
      .map((r) => `${r.method} ${r.path.replace(/env-\w+|lkc-\w+/g, 'X')}`);
    expect(calls).toEqual([
      'GET /billing/v1/costs',
      'GET /org/v2/environments',
      'GET /cmk/v2/clusters',
      'GET /connect/v1/environments/X/clusters/X/connectors',
      'GET /fcpm/v2/compute-pools',
      'GET /srcm/v3/clusters',
      'GET /ksqldbcm/v2/clusters',
      'GET /iam/v2/service-accounts',
      'GET /iam/v2/users',
      'GET /iam/v2/identity-providers',
      'GET /iam/v2/api-keys',
      'POST /v2/metrics/cloud/query',
    ]);
    const billing = api.proxy.requests[before]!;
    expect(Object.fromEntries(billing.query)).toEqual({
      start_date: '2026-11-01',
      end_date: '2026-11-02',
      page_size: '1',
    });
    const metrics = JSON.parse(api.proxy.requests.at(-1)!.body);
    expect(metrics).toMatchObject({
      granularity: 'P1D',
      limit: 1,
      intervals: ['2026-11-03T00:00:00Z/2026-11-04T00:00:00Z'],
    });
    expect(report).toMatchObject({ apiUrl: api.url, telemetryUrl: api.url, keyId: DOCTOR_KEY });
    const text = formatDoctor([report]);
    expect(text).toContain(`Cloud API    ${api.url}\n`);
    expect(text).toContain(`key          ${DOCTOR_KEY} from CCOST_KEY (secret from CCOST_SECRET, not shown)`);
    expect(text).toContain('everything ccost reads is readable with this key');
    expectNoSecret(report);
  });

  it('names BillingAdmin when billing answers 403', async () => {
    api.refuse(/^\/billing\//);
    const report = await check();
    expect(report.ok).toBe(false);
    expect(byId(report).billing).toEqual({
      id: 'billing',
      title: 'billing costs',
      endpoint: 'GET /billing/v1/costs',
      status: 'missing_role',
      httpStatus: 403,
      message: `HTTP 403: give the BillingAdmin role on the organization (OrganizationAdmin also works) to the owner of key ${DOCTOR_KEY}`,
    });
    expect(report.checks.filter((c) => c.status !== 'ok').map((c) => c.id)).toEqual(['billing']);
    expect(formatDoctor([report])).toMatch(
      /\n {2}MISSING {2}billing costs\s+GET \/billing\/v1\/costs: HTTP 403: give the BillingAdmin role/,
    );
    expect(formatDoctor([report])).toContain('1 of 12 checks failed');
    expectNoSecret(report);
  });

  it('names MetricsViewer when the Metrics API answers 403', async () => {
    api.refuse(/^\/v2\/metrics\//);
    const report = await check();
    expect(byId(report).metrics!.status).toBe('missing_role');
    expect(byId(report).metrics!.message).toContain('MetricsViewer role on the organization');
    expect(report.checks.filter((c) => c.status !== 'ok').map((c) => c.id)).toEqual(['metrics']);
  });

  it('names AccountAdmin for the IAM listings and Operator for the resources', async () => {
    api.refuse(/^\/iam\//);
    api.refuse(/^\/fcpm\//);
    const report = await check();
    const s = statuses(report);
    for (const id of ['service_accounts', 'users', 'identity_providers', 'api_keys']) {
      expect(s[id]).toBe('missing_role');
      expect(byId(report)[id]!.message).toContain(ROLE_ADVICE.accounts);
    }
    expect(s.flink_pools).toBe('missing_role');
    expect(byId(report).flink_pools!.message).toContain('Operator role on the organization');
    expect(s.billing).toBe('ok');
  });

  it('skips what needs an environment when environments cannot be listed', async () => {
    api.refuse(/^\/org\/v2\/environments$/);
    const report = await check();
    expect(statuses(report)).toMatchObject({
      environments: 'missing_role',
      kafka_clusters: 'skipped',
      connectors: 'skipped',
      metrics: 'skipped',
      billing: 'ok',
      api_keys: 'ok',
    });
    expect(byId(report).metrics!.message).toBe('no environment to ask about');
    expect(report.ok).toBe(false);
  });

  it('says the key or secret is wrong on 401, without printing the wrong secret either', async () => {
    const wrong = 'a-Wrong-Secret-9876543210';
    const report = await check(org(), { CCOST_KEY: DOCTOR_KEY, CCOST_SECRET: wrong });
    expect(byId(report).billing).toMatchObject({
      status: 'bad_key',
      httpStatus: 401,
      message:
        'HTTP 401: the key in CCOST_KEY or the secret in CCOST_SECRET is wrong, deleted or expired, or it is a cluster key: create a Cloud API key (Cloud resource management) and set both variables',
    });
    const text = `${JSON.stringify(report)}${formatDoctor([report])}`;
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(Buffer.from(`${DOCTOR_KEY}:${wrong}`).toString('base64'));
    expect(formatDoctor([report])).toMatch(/BAD KEY/);
  });

  it('points at the base URL setting on 404 and when nothing answers', async () => {
    const report = await check({ ...org(), api_url: `${api.url}/wrong-prefix` });
    expect(byId(report).billing).toMatchObject({ status: 'failed', httpStatus: 404 });
    expect(byId(report).billing!.message).toBe(
      'HTTP 404: /billing/v1/costs is not at this base URL; check api_url or CONFLUENT_API_URL (a proxy must pass the path through)',
    );
    const down = await check({
      ...org(),
      api_url: 'http://127.0.0.1:9',
      telemetry_url: 'http://127.0.0.1:9',
    });
    expect(byId(down).billing!.status).toBe('failed');
    expect(byId(down).billing!.message).toMatch(/check api_url or CONFLUENT_API_URL and the network$/);
    expectNoSecret(down);
  });

  it('reports unset variables without calling anything, and never prints user info of a URL', async () => {
    const before = api.proxy.requests.length;
    const report = await check(org(), {});
    expect(report.credentialsError).toMatch(/CCOST_KEY and CCOST_SECRET/);
    expect(report.checks).toEqual([]);
    expect(report.ok).toBe(false);
    expect(api.proxy.requests.length).toBe(before);
    expect(formatDoctor([report])).toContain('key          not set: ');
    expect(printableUrl('https://user:pa55word@proxy.example.com/confluent/?token=x')).toBe(
      'https://proxy.example.com/confluent',
    );
  });

  it('checks every organization of ccost.yaml, or the one asked for', async () => {
    const config = parseConfig({ organizations: [org(), { ...org(), id: 'org-two' }] });
    const all = await runDoctor(config, { env, now: NOW, client: { sleep: async () => {} } });
    expect(all.map((r) => [r.orgId, r.ok])).toEqual([
      ['org-sim', true],
      ['org-two', true],
    ]);
    const one = await runDoctor(config, {
      env,
      now: NOW,
      orgId: 'org-two',
      client: { sleep: async () => {} },
    });
    expect(one.map((r) => r.orgId)).toEqual(['org-two']);
  });
});
