/**
 * Values of evaluated Terraform expressions: plain JSON, or `Unknown` for anything ccost cannot
 * know without running Terraform (a resource's computed id, a data source, a variable with no
 * value). An unknown carries the human reason it is unknown, so it can be shown as
 * "not estimated (reason)" instead of being dropped.
 */
export type TfValue = string | number | boolean | null | TfValue[] | { [key: string]: TfValue } | Unknown;

/** A value that cannot be known statically, with the reason why. */
export class Unknown {
  readonly reason: string;
  constructor(reason: string) {
    this.reason = reason;
  }
}

/** True when `value` is (or, for collections, contains at its top level) an Unknown. */
export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

/** The first Unknown found anywhere inside `value`, or null when it is fully known. */
export function findUnknown(value: TfValue): Unknown | null {
  if (value instanceof Unknown) return value;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findUnknown(item);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) {
      const found = findUnknown(item);
      if (found) return found;
    }
  }
  return null;
}

/** True for a plain object value (an HCL object or map), false for lists, scalars and unknowns. */
export function isObjectValue(value: TfValue): value is { [key: string]: TfValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Unknown);
}

/** A short type name for error messages. */
export function typeName(value: TfValue): string {
  if (value === null) return 'null';
  if (value instanceof Unknown) return 'unknown';
  if (Array.isArray(value)) return 'list';
  return typeof value === 'object' ? 'object' : typeof value;
}
