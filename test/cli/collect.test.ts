import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type CliHarness, createCliHarness } from '../helpers/cli.ts';
import { startSimulatedOrg } from '../helpers/simulated.ts';

const NOW = '2026-11-05T06:00:00Z';

describe('ccost collect', () => {
  let cli: CliHarness;
  let orgs: Awaited<ReturnType<typeof startSimulatedOrg>>[];
  let configFile: string;

  beforeAll(async () => {
    orgs = [await startSimulatedOrg({ seed: 7, now: NOW }), await startSimulatedOrg({ seed: 8, now: NOW })];
    cli = createCliHarness({ ORG_A_KEY: 'SIMKEY', ORG_A_SECRET: 'SIMSECRET', ORG_B_KEY: 'SIMKEY' });
    configFile = path.join(cli.env.CCOST_HOME!, 'ccost.yaml');
    const organizations = orgs.map((o, i) => ({
      id: o.orgId,
      api_url: o.sim.url,
      telemetry_url: o.sim.telemetryUrl,
      api_key_env: i === 0 ? 'ORG_A_KEY' : 'ORG_B_KEY',
      api_secret_env: i === 0 ? 'ORG_A_SECRET' : 'ORG_B_SECRET',
    }));
    writeFileSync(configFile, stringify({ organizations }));
  });
  afterAll(async () => {
    await cli.cleanup();
    for (const o of orgs) await o.sim.stop();
  });

  it('names the missing secret variable of an organization, and prints no secret', async () => {
    const result = await cli.run(
      '--config',
      configFile,
      'collect',
      '--since',
      '2026-10-28',
      '--until',
      '2026-11-01',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: ORG_B_SECRET is not set for organization ${orgs[1]!.orgId}`);
    expect(result.stdout + result.stderr).not.toContain('SIMSECRET');
  });

  it('collects every organization of ccost.yaml with its own key, logging JSON lines off a terminal', async () => {
    cli.env.ORG_B_SECRET = 'SIMSECRET';
    const result = await cli.run(
      '--config',
      configFile,
      'collect',
      '--since',
      '2026-10-28',
      '--until',
      '2026-11-01',
    );
    expect(result.code).toBe(0);
    for (const o of orgs) {
      const lines = o.model.billingLines('2026-10-28', '2026-11-01').length;
      expect(result.stdout).toContain(`Collected ${o.orgId} 2026-10-28..2026-11-01 (4 days`);
      expect(result.stdout).toContain(`billing lines: ${lines} new, 0 changed, 0 unchanged`);
    }
    const events = result.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.filter((e) => e.event === 'collect_start').map((e) => e.orgId)).toEqual(
      orgs.map((o) => o.orgId),
    );
    expect(events.filter((e) => e.event === 'collect_step').length).toBeGreaterThan(3);
    expect(result.stderr).not.toContain('SIMSECRET');
  });

  it('rejects a malformed day', async () => {
    const result = await cli.run('--config', configFile, 'collect', '--since', '28/10/2026');
    expect(result).toMatchObject({ code: 2, stderr: 'error: --since must be a day written YYYY-MM-DD\n' });
  });
});
