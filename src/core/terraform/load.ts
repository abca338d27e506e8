import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ErrorCode, InputError } from '../errors/index.ts';
import { evaluateTemplate, evaluateValue, type Scope } from './expression.ts';
import { type AttributeReader, extractPriced } from './extract.ts';
import { parseHcl } from './hcl.ts';
import type { PricedResource } from './priced.ts';
import { isObjectValue, type TfValue, Unknown } from './values.ts';

/** Options for reading a Terraform configuration from a directory. */
export interface LoadOptions {
  /** `-var`-style overrides for the root module, as given on the command line (`k=v`). */
  vars?: Record<string, string>;
}

/** One module's blocks, merged over all its `.tf` files. */
interface ModuleFiles {
  resources: { type: string; name: string; body: Record<string, unknown> }[];
  modules: { name: string; body: Record<string, unknown> }[];
  variables: Record<string, Record<string, unknown>>;
  locals: Record<string, unknown>;
}

const MAX_MODULE_DEPTH = 16;

/** Keys of a `module` block that are Terraform meta-arguments, not inputs. */
const MODULE_META = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

/**
 * Reads every `confluent_*` resource of the configuration in `dir` (and its local modules),
 * reduced to priced attributes. Nothing is dropped: a resource whose count or for_each cannot be
 * evaluated, and a module that is not read, come back with `notEstimated` set.
 */
export async function loadConfiguration(dir: string, options: LoadOptions = {}): Promise<PricedResource[]> {
  const root = path.resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new InputError(ErrorCode.InputInvalid, dir, 'not a directory');
  }
  const files = await readModuleFiles(root, root);
  const variables = await rootVariables(root, files, options.vars ?? {});
  const out: PricedResource[] = [];
  await readModule({ root, dir: root, files, inputs: variables, prefix: '', depth: 0, out });
  return out;
}

interface ModuleContext {
  root: string;
  dir: string;
  files: ModuleFiles;
  inputs: Record<string, TfValue>;
  prefix: string;
  depth: number;
  out: PricedResource[];
}

async function readModule(ctx: ModuleContext): Promise<void> {
  const scope = moduleScope(ctx);
  for (const resource of ctx.files.resources) {
    if (!resource.type.startsWith('confluent_')) continue;
    const base = `${ctx.prefix}${resource.type}.${resource.name}`;
    for (const instance of expand(resource.body, scope)) {
      const address = base + instance.suffix;
      if (instance.unknown) {
        ctx.out.push(notEstimated(address, resource.type, instance.unknown));
        continue;
      }
      ctx.out.push(extractPriced(address, resource.type, reader(resource.body, instance.scope)));
    }
  }
  for (const call of ctx.files.modules) await readModuleCall(ctx, scope, call);
}

async function readModuleCall(
  ctx: ModuleContext,
  scope: Scope,
  call: { name: string; body: Record<string, unknown> },
): Promise<void> {
  const base = `${ctx.prefix}module.${call.name}`;
  const source = evaluateValue(call.body.source, scope);
  if (typeof source !== 'string' || !(source.startsWith('./') || source.startsWith('../'))) {
    const shown = typeof source === 'string' ? `"${source}"` : 'an expression';
    ctx.out.push(notEstimated(base, 'module', `module source ${shown} is not in the repository, not read`));
    return;
  }
  const dir = path.resolve(ctx.dir, source);
  if (!inside(ctx.root, dir) && !existsSync(dir)) {
    ctx.out.push(notEstimated(base, 'module', `module source "${source}" not found`));
    return;
  }
  if (!existsSync(dir) || ctx.depth >= MAX_MODULE_DEPTH) {
    const reason =
      ctx.depth >= MAX_MODULE_DEPTH ? 'modules nested too deep' : `module source "${source}" not found`;
    ctx.out.push(notEstimated(base, 'module', reason));
    return;
  }
  const files = await readModuleFiles(ctx.root, dir);
  for (const instance of expand(call.body, scope)) {
    const address = base + instance.suffix;
    if (instance.unknown) {
      ctx.out.push(notEstimated(address, 'module', instance.unknown));
      continue;
    }
    const inputs: Record<string, TfValue> = {};
    for (const [key, raw] of Object.entries(call.body)) {
      if (!MODULE_META.has(key)) inputs[key] = evaluateValue(raw, instance.scope);
    }
    const childInputs = withDefaults(files, inputs, ctx.root);
    await readModule({
      ...ctx,
      dir,
      files,
      inputs: childInputs,
      prefix: `${address}.`,
      depth: ctx.depth + 1,
    });
  }
}

/** One instance of a resource or module after `count`/`for_each`. */
interface Instance {
  suffix: string;
  scope: Scope;
  unknown?: string;
}

function expand(body: Record<string, unknown>, scope: Scope): Instance[] {
  if (body.count !== undefined) {
    const count = evaluateValue(body.count, scope);
    if (count instanceof Unknown) return [{ suffix: '', scope, unknown: `count: ${count.reason}` }];
    const n = typeof count === 'number' ? count : Number(count);
    if (!Number.isInteger(n) || n < 0) return [{ suffix: '', scope, unknown: 'count is not a whole number' }];
    return Array.from({ length: n }, (_, index) => ({
      suffix: `[${index}]`,
      scope: { ...scope, count: { index } },
    }));
  }
  if (body.for_each !== undefined) {
    const each = evaluateValue(body.for_each, scope);
    if (each instanceof Unknown) return [{ suffix: '', scope, unknown: `for_each: ${each.reason}` }];
    let pairs: [string, TfValue][];
    if (Array.isArray(each)) {
      if (each.some((v) => typeof v !== 'string')) {
        return [{ suffix: '', scope, unknown: 'for_each over a list that is not a set of strings' }];
      }
      pairs = (each as string[]).map((v) => [v, v]);
    } else if (isObjectValue(each)) pairs = Object.entries(each);
    else return [{ suffix: '', scope, unknown: 'for_each is not a map or set' }];
    return pairs.map(([key, value]) => ({
      suffix: `[${JSON.stringify(key)}]`,
      scope: { ...scope, each: { key, value } },
    }));
  }
  return [{ suffix: '', scope }];
}

/** Attribute reader over an hcl2json body: evaluates each step that is still an expression. */
function reader(body: Record<string, unknown>, scope: Scope): AttributeReader {
  return (attrPath) => {
    let current: unknown = body;
    for (const step of attrPath) {
      if (typeof current === 'string') current = evaluateTemplate(current, scope);
      if (current instanceof Unknown) return current;
      if (current === null || current === undefined || typeof current !== 'object') return undefined;
      current = (current as Record<string | number, unknown>)[step];
    }
    return current === undefined ? undefined : evaluateValue(current, scope);
  };
}

function moduleScope(ctx: ModuleContext): Scope {
  const locals = new Map<string, TfValue>();
  const resolving = new Set<string>();
  const scope: Scope = {
    moduleDir: ctx.dir,
    variable: (name) =>
      name in ctx.inputs ? ctx.inputs[name]! : new Unknown(`variable "${name}" is not declared`),
    local: (name) => {
      const known = locals.get(name);
      if (known !== undefined) return known;
      if (!(name in ctx.files.locals)) return new Unknown(`local "${name}" is not defined`);
      if (resolving.has(name)) return new Unknown(`local "${name}" refers to itself`);
      resolving.add(name);
      const value = evaluateValue(ctx.files.locals[name], scope);
      resolving.delete(name);
      locals.set(name, value);
      return value;
    },
    readFile: (relative) => readContained(ctx.root, ctx.dir, relative),
  };
  return scope;
}

/** `file()` reads only inside the configuration's directory tree. */
function readContained(root: string, dir: string, relative: string): TfValue {
  const file = path.resolve(dir, relative);
  if (!inside(root, file)) return new Unknown(`file("${relative}") is outside the configuration`);
  if (!existsSync(file)) return new Unknown(`file("${relative}") not found`);
  return readFileSync(file, 'utf8');
}

function inside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function notEstimated(address: string, type: string, reason: string): PricedResource {
  return { address, type, attributes: {}, unknown: {}, notEstimated: reason };
}

/** Reads and merges the `.tf` files of one module directory. */
async function readModuleFiles(root: string, dir: string): Promise<ModuleFiles> {
  const files: ModuleFiles = { resources: [], modules: [], variables: {}, locals: {} };
  const names = readdirSync(dir)
    .filter((name) => name.endsWith('.tf'))
    .sort();
  for (const name of names) {
    const file = path.join(dir, name);
    const doc = await parseHcl(label(root, file), readFileSync(file, 'utf8'));
    const resources = (doc.resource ?? {}) as Record<string, Record<string, Record<string, unknown>[]>>;
    for (const [type, byName] of Object.entries(resources)) {
      for (const [resourceName, bodies] of Object.entries(byName)) {
        for (const body of bodies) files.resources.push({ type, name: resourceName, body });
      }
    }
    const modules = (doc.module ?? {}) as Record<string, Record<string, unknown>[]>;
    for (const [moduleName, bodies] of Object.entries(modules)) {
      for (const body of bodies) files.modules.push({ name: moduleName, body });
    }
    const variables = (doc.variable ?? {}) as Record<string, Record<string, unknown>[]>;
    for (const [varName, bodies] of Object.entries(variables)) files.variables[varName] = bodies[0] ?? {};
    for (const block of (doc.locals ?? []) as Record<string, unknown>[]) Object.assign(files.locals, block);
  }
  return files;
}

/** A path shown in messages: relative to the working directory when that is shorter. */
function label(root: string, file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.length < file.length ? rel : path.relative(path.dirname(root), file);
}

/** Declared variables: `inputs` where given, else the default, else unknown with the reason. */
function withDefaults(
  files: ModuleFiles,
  inputs: Record<string, TfValue>,
  _root: string,
): Record<string, TfValue> {
  const out: Record<string, TfValue> = {};
  const empty = emptyScope();
  for (const [name, decl] of Object.entries(files.variables)) {
    if (name in inputs) out[name] = inputs[name]!;
    else if ('default' in decl) out[name] = evaluateValue(decl.default, empty);
    else
      out[name] = new Unknown(
        `variable "${name}" has no value (set it with --var ${name}=… or terraform.tfvars)`,
      );
  }
  return out;
}

/**
 * The root module's variables: defaults, then `terraform.tfvars`, then `*.auto.tfvars`
 * (alphabetically), then `--var` overrides — Terraform's own precedence.
 */
async function rootVariables(
  root: string,
  files: ModuleFiles,
  overrides: Record<string, string>,
): Promise<Record<string, TfValue>> {
  const given: Record<string, TfValue> = {};
  const empty = emptyScope();
  const tfvars = readdirSync(root)
    .filter((name) => name.endsWith('.auto.tfvars'))
    .sort();
  for (const name of ['terraform.tfvars', ...tfvars]) {
    const file = path.join(root, name);
    if (!existsSync(file)) continue;
    const doc = await parseHcl(label(root, file), readFileSync(file, 'utf8'));
    for (const [key, raw] of Object.entries(doc)) given[key] = evaluateValue(raw, empty);
  }
  for (const [key, text] of Object.entries(overrides)) given[key] = parseVarValue(text);
  return withDefaults(files, given, root);
}

/** A `--var` value: a list or map in HCL syntax when it looks like one, else the plain string. */
function parseVarValue(text: string): TfValue {
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{'))
    return evaluateTemplate(`\${${trimmed}}`, emptyScope());
  return text;
}

function emptyScope(): Scope {
  return {
    moduleDir: '.',
    variable: (name) => new Unknown(`variable "${name}" cannot be used here`),
    local: (name) => new Unknown(`local "${name}" cannot be used here`),
    readFile: (relative) => new Unknown(`file("${relative}") cannot be used here`),
  };
}
