import { parse as parseLossless } from 'lossless-json';
import { ErrorCode, InputError } from '../errors/index.ts';
import { type AttributeReader, extractPriced } from './extract.ts';
import type { ChangeAction, PricedResource, ResourceChange } from './priced.ts';
import { type TfValue, Unknown } from './values.ts';

/**
 * Reads `terraform show -json` output into resource changes of `confluent_*` managed resources.
 * Plan values are read only through the priced-attribute extractor: sensitive values are
 * unredacted in plans, so nothing else from `before`/`after` is kept, and errors never quote
 * the file's content.
 */
export function readPlan(label: string, text: string): ResourceChange[] {
  const plan = parseJson(label, text);
  if (plan === null || typeof plan !== 'object' || Array.isArray(plan)) {
    throw new InputError(ErrorCode.InputInvalid, label, 'not a Terraform plan (expected a JSON object)');
  }
  const doc = plan as Record<string, unknown>;
  const changes = doc.resource_changes;
  if (changes === undefined) {
    if (doc.format_version !== undefined) return [];
    throw new InputError(
      ErrorCode.InputInvalid,
      label,
      'not a Terraform plan (no resource_changes; produce it with `terraform show -json plan.out`)',
    );
  }
  if (!Array.isArray(changes))
    throw new InputError(ErrorCode.InputInvalid, label, 'resource_changes is not a list');
  const out: ResourceChange[] = [];
  changes.forEach((raw, i) => {
    const change = planChange(raw);
    if (change === 'skip') return;
    if (change === 'invalid') {
      throw new InputError(
        ErrorCode.InputInvalid,
        `${label}: resource_changes[${i}]`,
        'missing address, type or change.actions',
      );
    }
    out.push(change);
  });
  return out;
}

function planChange(raw: unknown): ResourceChange | 'skip' | 'invalid' {
  if (raw === null || typeof raw !== 'object') return 'invalid';
  const rc = raw as Record<string, unknown>;
  const change = rc.change as Record<string, unknown> | undefined;
  if (
    typeof rc.address !== 'string' ||
    typeof rc.type !== 'string' ||
    !change ||
    !Array.isArray(change.actions)
  ) {
    return 'invalid';
  }
  if (!rc.type.startsWith('confluent_') || rc.mode === 'data') return 'skip';
  const { action, note } = mapActions(change.actions as unknown[]);
  const address = typeof rc.deposed === 'string' ? `${rc.address} (deposed)` : rc.address;
  const before = side(address, rc.type, change.before, undefined);
  const after = side(address, rc.type, change.after, change.after_unknown);
  const out: ResourceChange = { address, action };
  if (note) out.note = note;
  if (action === 'create') return { ...out, ...(after ? { after } : {}) };
  if (action === 'delete') return { ...out, ...(before ? { before } : {}) };
  // no-op and read carry the same object on both sides; keep whichever the plan gives.
  return {
    ...out,
    ...((before ?? after) ? { before: before ?? after } : {}),
    ...((after ?? before) ? { after: after ?? before } : {}),
  };
}

/** Terraform's action lists, in every form the plan format documents. */
function mapActions(actions: unknown[]): { action: ChangeAction; note?: string } {
  const key = actions.join(',');
  switch (key) {
    case 'create':
      return { action: 'create' };
    case 'update':
      return { action: 'update' };
    case 'delete':
      return { action: 'delete' };
    case 'delete,create':
    case 'create,delete':
      return { action: 'replace' };
    case 'no-op':
      return { action: 'no-op' };
    case 'read':
      return { action: 'no-op', note: 'read during apply' };
    case 'forget':
      // Removed from state but not destroyed: it keeps billing, outside this configuration.
      return { action: 'no-op', note: 'forgotten by Terraform (not destroyed)' };
    default:
      return { action: 'no-op', note: `unknown plan action "${key.slice(0, 40)}"` };
  }
}

function side(address: string, type: string, value: unknown, unknown: unknown): PricedResource | undefined {
  if (value === null || value === undefined || typeof value !== 'object') return undefined;
  return extractPriced(address, type, jsonReader(value, unknown));
}

/** Reads plan JSON; an attribute marked in `after_unknown` reads as Unknown. */
function jsonReader(value: unknown, unknown: unknown): AttributeReader {
  return (path) => {
    let current: unknown = value;
    let marks: unknown = unknown;
    for (const step of path) {
      if (marks === true) return new Unknown('known only after apply');
      marks =
        marks !== null && typeof marks === 'object'
          ? (marks as Record<string | number, unknown>)[step]
          : undefined;
      current =
        current !== null && typeof current === 'object'
          ? (current as Record<string | number, unknown>)[step]
          : undefined;
    }
    if (marks === true) return new Unknown('known only after apply');
    return current as TfValue | undefined;
  };
}

/** JSON.parse with the error reduced to line and column: native messages quote the text. */
function parseJson(label: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // V8's messages vary by version and may quote the file; lossless-json reports a position.
    const position = errorPosition(text);
    if (position === null) throw new InputError(ErrorCode.InputInvalid, label, 'not valid JSON');
    const before = text.slice(0, position);
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    throw new InputError(ErrorCode.InputInvalid, `${label}:${line}:${column}`, 'not valid JSON');
  }
}

function errorPosition(text: string): number | null {
  try {
    parseLossless(text);
    return null;
  } catch (err) {
    const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
    return m ? Number(m[1]) : null;
  }
}
