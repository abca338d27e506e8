/** Flink Compute Pool Management v2 (`/fcpm/v2/compute-pools`): compute pools of an environment. */
import { z } from 'zod';
import type { ApiClient } from './http.ts';
import { listAll } from './list.ts';
import { countSchema, refSchema } from './validate.ts';

/** `fcpm.v2.ComputePool`, the fields ccost reads. */
export const computePoolSchema = z.looseObject({
  id: z.string().min(1),
  spec: z.looseObject({
    display_name: z.string().nullish(),
    cloud: z.string().nullish(),
    region: z.string().nullish(),
    max_cfu: countSchema.nullish(),
    default_pool: z.boolean().nullish(),
    environment: refSchema.nullish(),
  }),
});

export type ComputePool = z.output<typeof computePoolSchema>;

/** Every Flink compute pool of one environment. */
export function listComputePools(client: ApiClient, environmentId: string): Promise<ComputePool[]> {
  return listAll(client, '/fcpm/v2/compute-pools', computePoolSchema, { environment: environmentId });
}
