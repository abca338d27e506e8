/** Cluster Management for Kafka v2 (`/cmk/v2/clusters`): Kafka clusters of an environment. */
import { z } from 'zod';
import type { ApiClient } from './http.ts';
import { listAll } from './list.ts';
import { countSchema, refSchema } from './validate.ts';

/**
 * `cmk.v2.Cluster`, the fields ccost reads. `spec.config` is one of Basic, Standard, Enterprise,
 * Freight (`max_ecku`) or Dedicated (`cku`), told apart by `kind`.
 */
export const kafkaClusterSchema = z.looseObject({
  id: z.string().min(1),
  spec: z.looseObject({
    display_name: z.string().nullish(),
    availability: z.string().nullish(),
    cloud: z.string().nullish(),
    region: z.string().nullish(),
    config: z.looseObject({
      kind: z.string().min(1),
      cku: countSchema.nullish(),
      max_ecku: countSchema.nullish(),
    }),
    environment: refSchema.nullish(),
    network: refSchema.nullish(),
  }),
  status: z.looseObject({ phase: z.string().nullish(), cku: countSchema.nullish() }).nullish(),
});

export type KafkaCluster = z.output<typeof kafkaClusterSchema>;

/** Every Kafka cluster of one environment. */
export function listKafkaClusters(client: ApiClient, environmentId: string): Promise<KafkaCluster[]> {
  return listAll(client, '/cmk/v2/clusters', kafkaClusterSchema, { environment: environmentId });
}
