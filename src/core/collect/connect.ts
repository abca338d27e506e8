/**
 * Connect v1: the managed connectors of a Kafka cluster. The expanded list is one object keyed by
 * connector name (not paginated), with the `lcc-` id at `id.id`.
 */
import { z } from 'zod';
import type { ApiClient } from './http.ts';
import { parseResponse } from './validate.ts';

/** `connect.v1.ConnectorExpansion`, the fields ccost reads. */
export const connectorSchema = z.looseObject({
  id: z.looseObject({ id: z.string().min(1), id_type: z.string().nullish() }),
  info: z
    .looseObject({
      name: z.string().nullish(),
      type: z.string().nullish(),
      config: z.record(z.string(), z.unknown()).nullish(),
    })
    .nullish(),
  status: z
    .looseObject({
      type: z.string().nullish(),
      connector: z.looseObject({ state: z.string().nullish() }).nullish(),
    })
    .nullish(),
});

/** `connect.v1.ConnectorExpansionMap`. */
export const connectorMapSchema = z.record(z.string(), connectorSchema);

export type Connector = z.output<typeof connectorSchema> & { name: string };

/** Every connector of one Kafka cluster, with info, status and id. */
export async function listConnectors(
  client: ApiClient,
  environmentId: string,
  clusterId: string,
): Promise<Connector[]> {
  const path = `/connect/v1/environments/${encodeURIComponent(environmentId)}/clusters/${encodeURIComponent(clusterId)}/connectors`;
  // The expand list goes with literal commas, as the spec's path and Confluent's CLI write it.
  const json = await client.getJson(`${path}?expand=info,status,id`);
  const map = parseResponse(connectorMapSchema, json ?? {}, `GET ${path}`);
  return Object.entries(map).map(([name, connector]) => ({ ...connector, name }));
}
