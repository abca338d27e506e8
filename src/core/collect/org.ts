/** Org API v2 (`/org/v2/environments`): environments and their Stream Governance package. */
import { z } from 'zod';
import type { ApiClient } from './http.ts';
import { listAll } from './list.ts';

/** `org.v2.Environment`, the fields ccost reads. */
export const environmentSchema = z.looseObject({
  id: z.string().min(1),
  display_name: z.string().nullish(),
  stream_governance_config: z.looseObject({ package: z.string().nullish() }).nullish(),
});

export type Environment = z.output<typeof environmentSchema>;

/** Every environment of the organization. */
export function listEnvironments(client: ApiClient): Promise<Environment[]> {
  return listAll(client, '/org/v2/environments', environmentSchema);
}
