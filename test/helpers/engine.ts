import { allocate, type EngineLine } from '../../src/core/allocation/engine.ts';
import { RuleBook } from '../../src/core/allocation/rules.ts';
import { MemoryUsageIndex, type UsageRecord } from '../../src/core/allocation/usage-index.ts';
import { parseConfig } from '../../src/core/config/load.ts';
import { InventoryView, type ResourceRow } from '../../src/core/inventory/view.ts';
import { TeamResolver } from '../../src/core/teams/resolver.ts';

/** Inputs of an in-memory engine run. */
export interface EngineFixture {
  lines: EngineLine[];
  usage?: UsageRecord[];
  fetches?: { resourceId: string; day: string; status: string }[];
  resources?: Partial<ResourceRow>[];
  config?: unknown;
}

let nextId = 1;

/** A billing line with defaults: KAFKA on lkc-1 in env-1 on 2026-10-01. */
export function line(fields: Partial<EngineLine> & Pick<EngineLine, 'lineType' | 'amount'>): EngineLine {
  return {
    id: nextId++,
    orgId: 'org-1',
    day: '2026-10-01',
    environmentId: 'env-1',
    resourceId: 'lkc-1',
    product: 'KAFKA',
    originalAmount: fields.amount,
    ...fields,
  };
}

/** Runs the engine on in-memory inputs. */
export function runEngine(fixture: EngineFixture) {
  const config = parseConfig(fixture.config ?? {});
  const resources = (fixture.resources ?? []).map(
    (r) =>
      ({
        orgId: 'org-1',
        kind: 'kafka_cluster',
        type: null,
        cloud: null,
        region: null,
        displayName: null,
        environmentId: null,
        parentId: null,
        ownerId: null,
        attributes: null,
        validFrom: '2026-01-01T00:00:00Z',
        validTo: null,
        ...r,
      }) as ResourceRow,
  );
  return allocate(fixture.lines, {
    rules: new RuleBook(config.allocation),
    teams: new TeamResolver(config),
    inventory: new InventoryView({ resources, principals: [], environments: [] }),
    usage: new MemoryUsageIndex(fixture.usage ?? [], fixture.fetches ?? []),
  });
}

/** Usage rows for one resource/day: principal → [write bytes, read bytes]. */
export function bytesOn(
  resourceId: string,
  day: string,
  bytes: Record<string, [number, number]>,
): UsageRecord[] {
  return Object.entries(bytes).flatMap(([principalId, [write, read]]) => [
    { resourceId, day, principalId, metric: 'request_bytes', value: String(write) },
    { resourceId, day, principalId, metric: 'response_bytes', value: String(read) },
  ]);
}
