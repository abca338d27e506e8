import { sql } from 'drizzle-orm';
import { type CollectOptions, collectOrg } from '../../src/core/collect/collection.ts';
import { createApiClient } from '../../src/core/collect/http.ts';
import { parseConfigText } from '../../src/core/config/load.ts';
import {
  createModel,
  type SimModel,
  type Simulator,
  simulatedConfig,
  startSimulator,
} from '../../src/core/simulate/index.ts';
import type { Store } from '../../src/core/storage/database.ts';

/** A running simulator of a small deterministic org and clients pointed at it. */
export async function startSimulatedOrg(options: {
  seed?: number;
  now: string;
  faults?: Parameters<typeof startSimulator>[0]['faults'];
  /** Small pages make every list and the billing month span several pages. */
  smallPages?: boolean;
}) {
  const model = createModel({ seed: options.seed ?? 7 });
  const pageSizes = options.smallPages ? { pageCap: 3 } : undefined;
  const sim = await startSimulator({
    model,
    now: options.now,
    faults: options.faults,
    retryAfterSeconds: 0,
    pageSizes,
  });
  const config = parseConfigText(simulatedConfig(model, { apiUrl: sim.url, telemetryUrl: sim.telemetryUrl }));
  return { model, sim, config, orgId: model.org.organization.id };
}

/** Cloud and Metrics API clients for a simulator, retrying instantly. */
export function simulatorClients(sim: Simulator) {
  const common = { apiKey: sim.apiKey, apiSecret: sim.apiSecret, sleep: async () => {}, maxRetries: 10 };
  return {
    api: createApiClient({ ...common, baseUrl: sim.url, name: 'Confluent Cloud API' }),
    telemetry: createApiClient({ ...common, baseUrl: sim.telemetryUrl, name: 'Confluent Metrics API' }),
  };
}

/** Collects from a simulator with fresh clients. */
export function collectFrom(
  store: Store,
  sim: Simulator,
  model: SimModel,
  options: Partial<CollectOptions> & { now: Date },
) {
  return collectOrg(store, { orgId: model.org.organization.id, ...simulatorClients(sim), ...options });
}

/**
 * The collected data of a store, without bookkeeping (serial ids, fetch and update times), in a
 * stable order: two stores with equal snapshots hold the same data.
 */
export async function dataSnapshot(store: Store) {
  const q = (text: string) => store.query(sql.raw(text));
  return {
    billing:
      await q(`select org_id, start_date::text, product, line_type, resource_id, environment_id, network_access_type,
      tier_dimensions, amount::text, original_amount::text, quantity::text, version, content_hash from billing_lines
      order by start_date, product, line_type, resource_id, environment_id, network_access_type, tier_dimensions`),
    usage:
      await q(`select org_id, bucket_start::text, granularity, resource_id, subject_kind, subject_id, metric, value::text
      from usage order by 1, 2, 3, 4, 5, 6, 7`),
    fetches: await q('select org_id, resource_id, day::text, status from usage_fetches order by 1, 2, 3'),
    principals: await q(
      'select org_id, id, kind, display_name, valid_from::text, valid_to::text from principals order by 1, 2, 5',
    ),
    resources:
      await q(`select org_id, id, kind, type, display_name, environment_id, parent_id, owner_id, valid_from::text,
      valid_to::text from resources order by 1, 2, 9`),
    apiKeys: await q(
      'select org_id, id, owner_id, resource_id, valid_from::text, valid_to::text from api_keys order by 1, 2, 5',
    ),
    environments: await q(
      'select org_id, id, display_name, valid_from::text, valid_to::text from environments order by 1, 2, 4',
    ),
  };
}
