import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/core/config/load.ts';
import { simulatedConfig } from '../../../src/core/simulate/config.ts';
import { createModel, type SimModel, TEAMS } from '../../../src/core/simulate/model.ts';
import { TeamResolver } from '../../../src/core/teams/resolver.ts';

/** Resolves every principal with the name ccost would have for it after the month. */
function unmapped(model: SimModel, text: string): string[] {
  const config = parseConfigText(text);
  const resolver = new TeamResolver(config);
  const orgId = model.org.organization.id;
  const day = '2026-10-25';
  const deleted = model.org.events.deletedServiceAccount?.id;
  const wrong: string[] = [];
  for (const p of model.org.principals) {
    // A deleted service account is no longer listed: ccost knows only its id.
    const ownerName = p.id === deleted ? null : p.name;
    const team = resolver.resolve({ orgId, ownerId: p.id, ownerName, day });
    if (team !== model.teamOf(p.id)) wrong.push(`${p.id} ${p.name}: ${team}`);
  }
  const resources = [
    ...model.org.clusters,
    ...model.org.connectors,
    ...model.org.computePools,
    ...model.org.ksqlClusters,
  ];
  for (const r of resources) {
    const team = resolver.resolve({ orgId, ownerId: r.id, ownerName: r.name, day });
    if (team !== r.team) wrong.push(`${r.id} ${r.name}: ${team}`);
  }
  return wrong;
}

describe('simulatedConfig', () => {
  const model = createModel({ seed: 42, start: '2026-10-01' });

  it('is a valid ccost.yaml naming the organization, its credentials variables and URLs', () => {
    const text = simulatedConfig(model, {
      apiUrl: 'http://127.0.0.1:9999',
      telemetryUrl: 'http://127.0.0.1:9999',
    });
    const config = parseConfigText(text);
    expect(config.organizations).toMatchObject([
      {
        id: model.org.organization.id,
        name: model.org.organization.name,
        api_key_env: 'CONFLUENT_CLOUD_API_KEY',
        api_secret_env: 'CONFLUENT_CLOUD_API_SECRET',
        api_url: 'http://127.0.0.1:9999',
        telemetry_url: 'http://127.0.0.1:9999',
      },
    ]);
    expect(Object.keys(config.teams)).toEqual([...TEAMS]);
    for (const team of TEAMS) expect(Number(config.teams[team]!.budget!.monthly)).toBeGreaterThanOrEqual(100);
    expect(config.allocation.flink).toBe('compute_pool');
    expect(parseConfigText(simulatedConfig(model)).organizations[0]!.api_url).toBeUndefined();
  });

  it('maps every principal and team-owned resource to its team, the deleted account by id', () => {
    const text = simulatedConfig(model);
    expect(unmapped(model, text)).toEqual([]);
    const deleted = model.org.events.deletedServiceAccount!.id;
    expect(parseConfigText(text).teams.payments!.owners).toContain(deleted);
    expect(text).toContain('pattern: payments-*');
    expect(text).toMatch(/- sa-\w+ # kafka-admin/);
    const audit = model.org.auditLog.clusterId;
    expect(parseConfigText(text).teams.platform!.owners).toContain(audit);
  });

  it('maps every principal of a larger organization too', () => {
    const big = createModel({ seed: 'big', clusters: 20, principals: 300, start: '2026-10-01' });
    expect(unmapped(big, simulatedConfig(big))).toEqual([]);
  });
});
