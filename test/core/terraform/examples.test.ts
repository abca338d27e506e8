import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG } from '../../../src/core/pricing/catalog.ts';
import { priceResource } from '../../../src/core/pricing/price-resource.ts';
import { loadConfiguration } from '../../../src/core/terraform/load.ts';

const EXAMPLES = path.resolve(
  import.meta.dirname,
  '../../../../shared/fixtures/terraform/confluent-provider-examples',
);

/** An example is a folder with .tf files; a folder without them groups examples (connectors/, tableflow/). */
function examples(): string[] {
  const out: string[] = [];
  for (const first of readdirSync(EXAMPLES).sort()) {
    const dir = path.join(EXAMPLES, first);
    if (!statSync(dir).isDirectory()) continue;
    if (readdirSync(dir).some((f) => f.endsWith('.tf'))) out.push(dir);
    else for (const second of readdirSync(dir).sort()) out.push(path.join(dir, second));
  }
  return out;
}

/** `type.name` of every `resource "confluent_…"` declared in a folder tree, by text scan. */
function declared(dir: string): Set<string> {
  const found = new Set<string>();
  for (const entry of readdirSync(dir, { recursive: true }) as string[]) {
    if (!entry.endsWith('.tf')) continue;
    const text = readFileSync(path.join(dir, entry), 'utf8');
    for (const m of text.matchAll(/^\s*resource\s+"(confluent_[a-z_]+)"\s+"([^"]+)"/gm))
      found.add(`${m[1]}.${m[2]}`);
  }
  return found;
}

/** `module.a.confluent_x.y["k"]` → `confluent_x.y`. */
function typeAndName(address: string): string {
  const last = address.split(/\.(?=confluent_)/).pop()!;
  return last.replace(/\[[^\]]*\]$/, '');
}

describe('the Confluent provider examples', () => {
  const dirs = examples();

  it('are all found (32 examples)', () => {
    expect(dirs.length).toBe(32);
  });

  for (const dir of dirs) {
    const name = path.relative(EXAMPLES, dir);
    it(`${name}: parses and accounts for every confluent_* resource`, async () => {
      const resources = await loadConfiguration(dir);
      const loaded = new Set(resources.filter((r) => r.type !== 'module').map((r) => typeAndName(r.address)));
      expect([...loaded].sort()).toEqual([...declared(dir)].sort());
      for (const resource of resources) {
        const price = priceResource(resource, { catalog: DEFAULT_CATALOG });
        expect(['priced', 'free', 'not_estimated'], resource.address).toContain(price.status);
        if (price.status === 'not_estimated') expect(price.reason, resource.address).toBeTruthy();
        if (price.status === 'free') expect(price.monthly).toBe('0');
      }
    });
  }

  it('prices the clusters of the examples by type', async () => {
    const dedicated = await loadConfiguration(path.join(EXAMPLES, 'dedicated-privatelink-aws-kafka-acls'));
    const cluster = dedicated.find((r) => r.type === 'confluent_kafka_cluster')!;
    expect(cluster.attributes).toMatchObject({
      cluster_type: 'dedicated',
      cku: '2',
      availability: 'MULTI_ZONE',
    });
    // cloud and region come from the network resource: known only after apply, priced at the base region.
    expect(cluster.unknown.region).toMatch(/known only after apply/);
    const price = priceResource(cluster, { catalog: DEFAULT_CATALOG });
    expect(price.status).toBe('priced');
    expect(price.monthly).toBe('3883.6');
  });

  it('reads topics from a JSON file through a local module with for_each', async () => {
    const resources = await loadConfiguration(path.join(EXAMPLES, 'manage-topics-via-json'));
    expect(resources.map((r) => r.address)).toEqual([
      'module.confluent_kafka_topics.confluent_kafka_topic.main["orders"]',
      'module.confluent_kafka_topics.confluent_kafka_topic.main["players"]',
      'module.confluent_kafka_topics.confluent_kafka_topic.main["clicks"]',
    ]);
  });

  it('reports an unset variable as the reason, and still prices what it can', async () => {
    const resources = await loadConfiguration(path.join(EXAMPLES, 'tableflow/byob-aws-storage'));
    const cluster = resources.find((r) => r.type === 'confluent_kafka_cluster')!;
    expect(cluster.unknown.region).toMatch(/variable "aws_region" has no value/);
    const withVar = await loadConfiguration(path.join(EXAMPLES, 'tableflow/byob-aws-storage'), {
      vars: { aws_region: 'us-east-2' },
    });
    expect(withVar.find((r) => r.type === 'confluent_kafka_cluster')!.attributes.region).toBe('us-east-2');
  });
});
