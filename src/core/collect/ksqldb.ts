/** ksqlDB Cluster Management v2 (`/ksqldbcm/v2/clusters`): ksqlDB clusters of an environment. */
import { z } from 'zod';
import type { ApiClient } from './http.ts';
import { listAll } from './list.ts';
import { countSchema, refSchema } from './validate.ts';

/** `ksqldbcm.v2.Cluster`, the fields ccost reads; `credential_identity` is the owner. */
export const ksqldbClusterSchema = z.looseObject({
  id: z.string().min(1),
  spec: z.looseObject({
    display_name: z.string().nullish(),
    csu: countSchema.nullish(),
    kafka_cluster: refSchema.nullish(),
    credential_identity: refSchema.nullish(),
    environment: refSchema.nullish(),
  }),
});

export type KsqldbCluster = z.output<typeof ksqldbClusterSchema>;

/** Every ksqlDB cluster of one environment. */
export function listKsqldbClusters(client: ApiClient, environmentId: string): Promise<KsqldbCluster[]> {
  return listAll(client, '/ksqldbcm/v2/clusters', ksqldbClusterSchema, { environment: environmentId });
}
