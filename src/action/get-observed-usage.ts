import type { Config } from '../core/config/schema.ts';
import type { KnownUsage, Usage } from '../core/pricing/options.ts';
import type { PricedResource, ResourceChange } from '../core/terraform/priced.ts';
import { type ApiResource, type CcostApi, fetchResources } from './fetch-ccost.ts';

/** Terraform resource types and the ccost resource kind they are. */
const KINDS: Record<string, string> = {
  confluent_kafka_cluster: 'kafka_cluster',
};

/** What the priced usage of a matched resource says about its source. */
export const OBSERVED_SOURCE = 'observed over the last 30 days (ccost)';

/**
 * Observed usage by Terraform address for the changed resources that ccost knows: matched by
 * Confluent id when the plan has one, else by display name within the kind (only when exactly one
 * known resource of the kind has that name). Without a server, or when it does not answer, none.
 *
 * @param api - the ccost server, or undefined
 * @param config - ccost.yaml (one organization restricts the matches to it)
 * @param changes - the pull request's resource changes
 * @returns usage and source by address, and the reason when ccost did not answer
 */
export async function getObservedUsage(
  api: CcostApi | undefined,
  config: Pick<Config, 'organizations'>,
  changes: readonly ResourceChange[],
): Promise<{ usage: Record<string, KnownUsage>; reason?: string }> {
  if (!api) return { usage: {} };
  const answer = await fetchResources(api);
  if (!answer.ok) return { usage: {}, reason: answer.reason };
  const org = config.organizations.length === 1 ? config.organizations[0]!.id : undefined;
  const known = answer.value.filter((r) => r.usage && (!org || r.orgId === org));
  const usage: Record<string, KnownUsage> = {};
  for (const change of changes) {
    const resource = change.after ?? change.before;
    if (!resource) continue;
    const match = matchResource(resource, known);
    if (match?.usage) usage[change.address] = { usage: toUsage(match.usage), source: OBSERVED_SOURCE };
  }
  return { usage };
}

/** The known resource a Terraform resource is: same id, else the only one of its kind and name. */
export function matchResource(
  resource: PricedResource,
  known: readonly ApiResource[],
): ApiResource | undefined {
  const kind = KINDS[resource.type];
  if (!kind || !resource.identity) return undefined;
  const { id, displayName } = resource.identity;
  const ofKind = known.filter((r) => r.kind === kind);
  if (id) {
    const byId = ofKind.find((r) => r.id === id);
    if (byId) return byId;
  }
  if (!displayName) return undefined;
  const byName = ofKind.filter((r) => r.name === displayName);
  return byName.length === 1 ? byName[0] : undefined;
}

function toUsage(u: NonNullable<ApiResource['usage']>): Usage {
  return {
    ingress_gb_month: u.ingress_gb_month,
    egress_gb_month: u.egress_gb_month,
    ...(u.storage_gb !== null ? { storage_gb: u.storage_gb } : {}),
  };
}
