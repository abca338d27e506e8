import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DOCTOR_KEY,
  DOCTOR_SECRET,
  type ForbiddingProxy,
  startForbiddingProxy,
} from '../core/doctor/forbidding-proxy.ts';
import { type CliHarness, createCliHarness } from '../helpers/cli.ts';

describe('ccost doctor', () => {
  let api: ForbiddingProxy;
  let cli: CliHarness;
  let configFile: string;
  const basic = Buffer.from(`${DOCTOR_KEY}:${DOCTOR_SECRET}`).toString('base64');
  const doctor = async (...argv: string[]) => {
    const result = await cli.run('--config', configFile, 'doctor', ...argv);
    for (const text of [result.stdout, result.stderr]) {
      expect(text).not.toContain(DOCTOR_SECRET);
      expect(text).not.toContain(basic);
    }
    return result;
  };

  beforeAll(async () => {
    // The simulator's clock is real time here: the doctor asks about recent days.
    api = await startForbiddingProxy(new Date().toISOString());
    cli = createCliHarness({ CCOST_KEY: DOCTOR_KEY, CCOST_SECRET: DOCTOR_SECRET });
    configFile = path.join(cli.env.CCOST_HOME!, 'ccost.yaml');
    const org = (id: string) =>
      `  - id: ${id}\n    api_url: ${api.url}\n    telemetry_url: ${api.url}\n    api_key_env: CCOST_KEY\n    api_secret_env: CCOST_SECRET\n`;
    writeFileSync(configFile, `organizations:\n${org('org-one')}${org('org-two')}`);
  });
  afterEach(() => api.clear());
  afterAll(async () => {
    await api.stop();
    await cli.cleanup();
  });

  it('exits 0 when every API is readable, printing the base URLs and the key id', async () => {
    const { code, stdout, stderr } = await doctor();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^org-one\n {2}Cloud API {4}http:\/\/127\.0\.0\.1:\d+\n {2}Metrics API {2}http:/);
    expect(stdout).toContain(
      `key          ${DOCTOR_KEY} from CCOST_KEY (secret from CCOST_SECRET, not shown)`,
    );
    expect(stdout.match(/everything ccost reads is readable with this key/g)).toHaveLength(2);
  });

  it('exits 1 and names the missing role', async () => {
    api.refuse(/^\/billing\//);
    api.refuse(/^\/v2\/metrics\//);
    const { code, stdout, stderr } = await doctor('--org', 'org-two');
    expect(code).toBe(1);
    expect(stdout).not.toContain('org-one');
    expect(stdout).toContain(
      `MISSING  billing costs                      GET /billing/v1/costs: HTTP 403: give the BillingAdmin role on the organization (OrganizationAdmin also works) to the owner of key ${DOCTOR_KEY}`,
    );
    expect(stdout).toMatch(
      /MISSING {2}bytes per principal \(Metrics API\) {2}POST \/v2\/metrics\/cloud\/query: HTTP 403: give the MetricsViewer role/,
    );
    expect(stdout).toContain('2 of 12 checks failed');
    expect(stderr).toBe(
      'error: the key of org-two cannot read everything ccost needs; see the lines above\n',
    );
  });

  it('answers JSON', async () => {
    api.refuse(/^\/iam\/v2\/api-keys$/);
    const { code, stdout } = await doctor('--format', 'json');
    expect(code).toBe(1);
    const reports = JSON.parse(stdout) as {
      orgId: string;
      ok: boolean;
      checks: { id: string; status: string }[];
    }[];
    expect(reports.map((r) => [r.orgId, r.ok])).toEqual([
      ['org-one', false],
      ['org-two', false],
    ]);
    expect(reports[0]!.checks.find((c) => c.id === 'api_keys')!.status).toBe('missing_role');
  });

  it('says which variables are unset', async () => {
    const bare = createCliHarness({});
    try {
      const { code, stdout } = await bare.run('--config', configFile, 'doctor', '--org', 'org-one');
      expect(code).toBe(1);
      expect(stdout).toMatch(/key {10}not set: .*CCOST_KEY and CCOST_SECRET/);
    } finally {
      await bare.cleanup();
    }
  });

  it('needs an organization to check', async () => {
    const empty = path.join(cli.env.CCOST_HOME!, 'empty.yaml');
    writeFileSync(empty, 'currency: USD\n');
    const { code, stderr } = await cli.run('--config', empty, 'doctor');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'error: no organization to check: pass --org ORG or list organizations in ccost.yaml\n',
    );
  });
});
