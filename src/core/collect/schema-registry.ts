/** Schema Registry Cluster Management v3 (`/srcm/v3/clusters`): an environment's Schema Registry. */
import { z } from 'zod';
import type { ApiClient } from './http.ts';
import { listAll } from './list.ts';
import { refSchema } from './validate.ts';

/** `srcm.v3.Cluster`, the fields ccost reads. */
export const schemaRegistrySchema = z.looseObject({
  id: z.string().min(1),
  spec: z.looseObject({
    display_name: z.string().nullish(),
    package: z.string().nullish(),
    cloud: z.string().nullish(),
    region: z.string().nullish(),
    environment: refSchema.nullish(),
  }),
});

export type SchemaRegistry = z.output<typeof schemaRegistrySchema>;

/** The Schema Registry clusters of one environment (at most one today). */
export function listSchemaRegistries(client: ApiClient, environmentId: string): Promise<SchemaRegistry[]> {
  return listAll(client, '/srcm/v3/clusters', schemaRegistrySchema, { environment: environmentId });
}
