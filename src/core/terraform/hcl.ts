import { parse } from '@cdktf/hcl2json';
import { ErrorCode, InputError } from '../errors/index.ts';

/** hcl2json's diagnostic: `parse config: [file:LINE,COL-…: Summary; Detail]`. */
const DIAGNOSTIC = /:(\d+),(\d+)(?:-\d+(?:,\d+)?)?: ([^\]]*)\]?\s*$/;

/**
 * Parses one `.tf` or `.tfvars` file into hcl2json's JSON form (blocks as lists of objects,
 * expressions as `${…}` strings). A syntax error becomes an InputError naming `label:line:column`.
 */
export async function parseHcl(label: string, text: string): Promise<Record<string, unknown>> {
  try {
    return (await parse(label, text)) as Record<string, unknown>;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const m = DIAGNOSTIC.exec(message);
    if (m) throw new InputError(ErrorCode.InputInvalid, `${label}:${m[1]}:${m[2]}`, m[3]!.trim());
    throw new InputError(ErrorCode.InputInvalid, label, 'not valid HCL');
  }
}
