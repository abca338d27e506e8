import { existsSync, readFileSync } from 'node:fs';
import { ErrorCode, InputError } from '../core/errors/index.ts';
import { asCreated, diffResources } from '../core/terraform/diff.ts';
import { loadConfiguration } from '../core/terraform/load.ts';
import { readPlan } from '../core/terraform/plan.ts';
import type { ResourceChange } from '../core/terraform/priced.ts';

/** Where the changes come from: a plan, or the head configuration and optionally the base. */
export interface ChangeSource {
  plan?: string;
  path?: string;
  basePath?: string;
  vars: Record<string, string>;
}

/**
 * Reads the pull request's Terraform changes: a `terraform show -json` plan, or the head
 * configuration compared with the base configuration (every resource is new without a base).
 * Only priced attributes leave the readers, so no plan value can reach the comment.
 *
 * @param source - plan, or path (default `.`) and base-path, and root variables
 * @returns the changes of every `confluent_*` resource
 * @throws InputError naming the input's file when it is missing or malformed
 */
export async function readChanges(source: ChangeSource): Promise<ResourceChange[]> {
  if (source.plan) {
    if (!existsSync(source.plan))
      throw new InputError(ErrorCode.InputInvalid, `plan: ${source.plan}`, 'file not found');
    return readPlan(source.plan, readFileSync(source.plan, 'utf8'));
  }
  const head = await loadConfiguration(source.path ?? '.', { vars: source.vars });
  if (!source.basePath) return asCreated(head);
  const base = await loadConfiguration(source.basePath, { vars: source.vars });
  return diffResources(base, head);
}
