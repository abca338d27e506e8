import { findUnknown, isObjectValue, type TfValue, typeName, Unknown } from './values.ts';

/**
 * The Terraform built-in functions configurations use to shape counts, sets and maps. Any other
 * function, or an unknown argument, makes the result unknown (the caller reports the reason).
 */
type Fn = (args: TfValue[]) => TfValue;

const FUNCTIONS: Record<string, Fn> = {
  toset: ([v]) => distinct(list(v)),
  tolist: ([v]) => list(v),
  tomap: ([v]) => object(v),
  tostring: ([v]) => String(scalar(v)),
  tonumber: ([v]) => number(v),
  tobool: ([v]) => v === true || v === 'true',
  length: ([v]) =>
    typeof v === 'string' ? v.length : isObjectValue(v!) ? Object.keys(v).length : list(v).length,
  keys: ([v]) => Object.keys(object(v)).sort(),
  values: ([v]) => {
    const o = object(v);
    return Object.keys(o)
      .sort()
      .map((k) => o[k]!);
  },
  lookup: ([m, k, d]) => {
    const o = object(m);
    const key = String(scalar(k));
    if (key in o) return o[key]!;
    if (d === undefined) throw new Error(`no key "${key}"`);
    return d;
  },
  merge: (args) => Object.assign({}, ...args.map(object)),
  concat: (args) => args.flatMap(list),
  flatten: ([v]) => flattenDeep(list(v)),
  distinct: ([v]) => distinct(list(v)),
  contains: ([l, x]) => list(l).some((item) => JSON.stringify(item) === JSON.stringify(x)),
  element: ([l, i]) => {
    const items = list(l);
    if (items.length === 0) throw new Error('empty list');
    return items[number(i) % items.length]!;
  },
  coalesce: (args) => {
    const found = args.find((a) => a !== null && a !== '');
    if (found === undefined) throw new Error('no non-null argument');
    return found;
  },
  range: (args) => {
    const [a, b, s] = args.map(number);
    const [start, end, step] = args.length === 1 ? [0, a!, 1] : [a!, b!, s ?? 1];
    const out: number[] = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) out.push(i);
    return out;
  },
  max: (args) => Math.max(...args.map(number)),
  min: (args) => Math.min(...args.map(number)),
  ceil: ([v]) => Math.ceil(number(v)),
  floor: ([v]) => Math.floor(number(v)),
  upper: ([v]) => String(scalar(v)).toUpperCase(),
  lower: ([v]) => String(scalar(v)).toLowerCase(),
  trimspace: ([v]) => String(scalar(v)).trim(),
  join: ([sep, l]) =>
    list(l)
      .map(scalar)
      .join(String(scalar(sep))),
  split: ([sep, s]) => String(scalar(s)).split(String(scalar(sep))),
  replace: ([s, from, to]) =>
    String(scalar(s))
      .split(String(scalar(from)))
      .join(String(scalar(to))),
  format: ([f, ...rest]) => {
    let i = 0;
    return String(scalar(f)).replace(/%[sdv%]/g, (m) => (m === '%%' ? '%' : String(scalar(rest[i++] ?? ''))));
  },
  jsondecode: ([v]) => JSON.parse(String(scalar(v))) as TfValue,
  jsonencode: ([v]) => JSON.stringify(v),
  zipmap: ([k, v]) => {
    const ks = list(k);
    const vs = list(v);
    return Object.fromEntries(ks.map((key, i) => [String(scalar(key)), vs[i] ?? null]));
  },
};

/** Calls built-in `name`; throws (with a short reason) when it cannot be evaluated. */
export function callFunction(name: string, args: TfValue[]): TfValue {
  const fn = FUNCTIONS[name];
  if (!fn) return new Unknown(`function ${name}() is not evaluated`);
  const unknown = args.map(findUnknown).find((u) => u !== null);
  if (unknown) return unknown;
  return fn(args);
}

function list(v: TfValue | undefined): TfValue[] {
  if (Array.isArray(v)) return v;
  if (v !== undefined && isObjectValue(v)) return Object.values(v);
  throw new Error(`expected a list, got ${v === undefined ? 'nothing' : typeName(v)}`);
}

function object(v: TfValue | undefined): Record<string, TfValue> {
  if (v !== undefined && isObjectValue(v)) return v;
  throw new Error(`expected a map, got ${v === undefined ? 'nothing' : typeName(v)}`);
}

function scalar(v: TfValue | undefined): string | number | boolean {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  throw new Error(`expected a string, got ${v === undefined ? 'nothing' : typeName(v)}`);
}

function number(v: TfValue | undefined): number {
  const n = typeof v === 'number' ? v : Number(scalar(v));
  if (Number.isNaN(n)) throw new Error('expected a number');
  return n;
}

function distinct(items: TfValue[]): TfValue[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = JSON.stringify(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function flattenDeep(items: TfValue[]): TfValue[] {
  const out: TfValue[] = [];
  for (const item of items) {
    if (Array.isArray(item)) out.push(...flattenDeep(item));
    else out.push(item);
  }
  return out;
}
