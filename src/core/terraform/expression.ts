import { callFunction } from './functions.ts';
import { findUnknown, isObjectValue, type TfValue, typeName, Unknown } from './values.ts';

/**
 * A small evaluator for the subset of HCL expressions that decides what a configuration costs:
 * literals, templates, `var.`/`local.`/`each.`/`count.` references, operators, conditionals,
 * `for` expressions and common functions. hcl2json hands every expression over as a `${…}`
 * string; anything outside the subset, or depending on other resources, evaluates to `Unknown`
 * with a reason — never to a guess.
 */

/** What names mean while evaluating one expression. */
export interface Scope {
  /** Input variables of the module being read. */
  variable(name: string): TfValue;
  /** Locals of the module being read (resolved lazily, locals may refer to locals). */
  local(name: string): TfValue;
  each?: { key: TfValue; value: TfValue };
  count?: { index: number };
  /** Extra names bound by `for` expressions. */
  bound?: Record<string, TfValue>;
  /** The module's directory, for `path.module` and `file()`. */
  moduleDir: string;
  /** Reads a file relative to the module directory (contained in the configuration's tree). */
  readFile(relative: string): TfValue;
}

/** Evaluates a value as hcl2json produced it: strings may be templates, collections recurse. */
export function evaluateValue(raw: unknown, scope: Scope): TfValue {
  if (typeof raw === 'string') return evaluateTemplate(raw, scope);
  if (Array.isArray(raw)) return raw.map((item) => evaluateValue(item, scope));
  if (raw !== null && typeof raw === 'object') {
    const out: Record<string, TfValue> = {};
    for (const [key, value] of Object.entries(raw)) out[key] = evaluateValue(value, scope);
    return out;
  }
  return (raw ?? null) as TfValue;
}

/** Evaluates a string that may contain `${…}` interpolations; a lone `${x}` keeps x's type. */
export function evaluateTemplate(text: string, scope: Scope): TfValue {
  if (!text.includes('${') && !text.includes('%{')) return text;
  if (text.includes('%{')) return new Unknown('template directives (%{…}) are not evaluated');
  try {
    const parts = splitTemplate(text);
    const only = parts[0];
    if (parts.length === 1 && only && typeof only !== 'string') return evaluate(parse(only.expr), scope);
    let out = '';
    for (const part of parts) {
      if (typeof part === 'string') {
        out += part;
        continue;
      }
      const value = evaluate(parse(part.expr), scope);
      if (value instanceof Unknown) return value;
      if (value === null || typeof value === 'object') {
        return new Unknown(`cannot interpolate a ${typeName(value)} into a string`);
      }
      out += String(value);
    }
    return out;
  } catch (err) {
    if (err instanceof ExpressionError) return new Unknown(err.message);
    throw err;
  }
}

class ExpressionError extends Error {}

type TemplatePart = string | { expr: string };

/** Splits `a-${x}-b` into literal and expression parts, honouring nested braces and strings. */
function splitTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      literal += '${';
      i += 3;
      continue;
    }
    if (text.startsWith('${', i)) {
      const end = matchingBrace(text, i + 2);
      if (literal) parts.push(literal);
      literal = '';
      parts.push({ expr: text.slice(i + 2, end) });
      i = end + 1;
      continue;
    }
    literal += text[i];
    i += 1;
  }
  if (literal || parts.length === 0) parts.push(literal);
  return parts;
}

/** Index of the `}` closing an expression that starts at `start`. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      i = endOfString(text, i) + 1;
      continue;
    }
    if (ch === '{') depth += 1;
    if (ch === '}') {
      if (depth === 0) return i;
      depth -= 1;
    }
    i += 1;
  }
  throw new ExpressionError('unterminated ${ in template');
}

/** Index of the closing quote of the string literal opening at `start`. */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === '"') return i;
    if (text.startsWith('${', i)) {
      i = matchingBrace(text, i + 2) + 1;
      continue;
    }
    i += 1;
  }
  throw new ExpressionError('unterminated string');
}

// ---- tokens ----

type Token =
  | { kind: 'num'; value: number }
  | { kind: 'str'; raw: string }
  | { kind: 'id'; value: string }
  | { kind: 'op'; value: string }
  | { kind: 'end' };

const OPERATORS = [
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '=>',
  '...',
  '?',
  ':',
  '.',
  ',',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '!',
  '=',
];

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(src.slice(i))!;
      tokens.push({ kind: 'num', value: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (ch === '"') {
      const end = endOfString(src, i);
      tokens.push({ kind: 'str', raw: src.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i))!;
      tokens.push({ kind: 'id', value: m[0] });
      i += m[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExpressionError(`unexpected character "${ch}" in expression`);
    tokens.push({ kind: 'op', value: op });
    i += op.length;
  }
  tokens.push({ kind: 'end' });
  return tokens;
}

// ---- syntax tree ----

type Node =
  | { t: 'lit'; value: TfValue }
  | { t: 'tpl'; raw: string }
  | { t: 'ref'; root: string }
  | { t: 'attr'; target: Node; name: string }
  | { t: 'index'; target: Node; key: Node }
  | { t: 'splat'; target: Node }
  | { t: 'call'; name: string; args: Node[]; expand: boolean }
  | { t: 'list'; items: Node[] }
  | { t: 'object'; entries: [Node, Node][] }
  | { t: 'unary'; op: string; operand: Node }
  | { t: 'binary'; op: string; left: Node; right: Node }
  | { t: 'cond'; test: Node; then: Node; else: Node }
  | {
      t: 'for';
      object: boolean;
      keyVar?: string;
      valueVar: string;
      coll: Node;
      key?: Node;
      value: Node;
      cond?: Node;
      group: boolean;
    };

const parseCache = new Map<string, Node>();

/** Parses one expression (the inside of `${…}`); results are cached by text. */
function parse(src: string): Node {
  const cached = parseCache.get(src);
  if (cached) return cached;
  const parser = new Parser(tokenize(src));
  const node = parser.expression();
  parser.expectEnd();
  parseCache.set(src, node);
  return node;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }
  private isOp(value: string, offset = 0): boolean {
    const tok = this.peek(offset);
    return tok.kind === 'op' && tok.value === value;
  }
  private isId(value: string, offset = 0): boolean {
    const tok = this.peek(offset);
    return tok.kind === 'id' && tok.value === value;
  }
  private take(): Token {
    const tok = this.peek();
    this.pos += 1;
    return tok;
  }
  private expectOp(value: string): void {
    if (!this.isOp(value)) throw new ExpressionError(`expected "${value}" in expression`);
    this.pos += 1;
  }
  private identifier(): string {
    const tok = this.take();
    if (tok.kind !== 'id') throw new ExpressionError('expected a name in expression');
    return tok.value;
  }
  expectEnd(): void {
    if (this.peek().kind !== 'end') throw new ExpressionError('unexpected text after expression');
  }

  expression(): Node {
    const test = this.binary(0);
    if (!this.isOp('?')) return test;
    this.pos += 1;
    const then = this.expression();
    this.expectOp(':');
    return { t: 'cond', test, then, else: this.expression() };
  }

  private static readonly LEVELS = [
    ['||'],
    ['&&'],
    ['==', '!='],
    ['<', '>', '<=', '>='],
    ['+', '-'],
    ['*', '/', '%'],
  ];

  private binary(level: number): Node {
    if (level >= Parser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const tok = this.peek();
      if (tok.kind !== 'op' || !Parser.LEVELS[level]!.includes(tok.value)) return left;
      this.pos += 1;
      left = { t: 'binary', op: tok.value, left, right: this.binary(level + 1) };
    }
  }

  private unary(): Node {
    if (this.isOp('!') || this.isOp('-')) {
      const op = (this.take() as { value: string }).value;
      return { t: 'unary', op, operand: this.unary() };
    }
    return this.postfix(this.primary());
  }

  private postfix(node: Node): Node {
    for (;;) {
      if (this.isOp('.')) {
        this.pos += 1;
        if (this.isOp('*')) {
          this.pos += 1;
          node = { t: 'splat', target: node };
          continue;
        }
        const tok = this.take();
        if (tok.kind === 'id') node = { t: 'attr', target: node, name: tok.value };
        else if (tok.kind === 'num') node = { t: 'index', target: node, key: { t: 'lit', value: tok.value } };
        else throw new ExpressionError('expected an attribute name after "."');
        continue;
      }
      if (this.isOp('[')) {
        this.pos += 1;
        if (this.isOp('*')) {
          this.pos += 1;
          this.expectOp(']');
          node = { t: 'splat', target: node };
          continue;
        }
        const key = this.expression();
        this.expectOp(']');
        node = { t: 'index', target: node, key };
        continue;
      }
      return node;
    }
  }

  private primary(): Node {
    const tok = this.take();
    if (tok.kind === 'num') return { t: 'lit', value: tok.value };
    if (tok.kind === 'str') return { t: 'tpl', raw: tok.raw };
    if (tok.kind === 'id') {
      if (tok.value === 'true') return { t: 'lit', value: true };
      if (tok.value === 'false') return { t: 'lit', value: false };
      if (tok.value === 'null') return { t: 'lit', value: null };
      if (this.isOp('(')) return this.call(tok.value);
      return { t: 'ref', root: tok.value };
    }
    if (tok.kind === 'op') {
      if (tok.value === '(') {
        const inner = this.expression();
        this.expectOp(')');
        return inner;
      }
      if (tok.value === '[') return this.isId('for') ? this.forExpr(false) : this.list();
      if (tok.value === '{') return this.isId('for') ? this.forExpr(true) : this.object();
    }
    throw new ExpressionError('expression not understood');
  }

  private call(name: string): Node {
    this.expectOp('(');
    const args: Node[] = [];
    let expand = false;
    while (!this.isOp(')')) {
      args.push(this.expression());
      if (this.isOp('...')) {
        this.pos += 1;
        expand = true;
      }
      if (!this.isOp(')')) this.expectOp(',');
    }
    this.pos += 1;
    return { t: 'call', name, args, expand };
  }

  private list(): Node {
    const items: Node[] = [];
    while (!this.isOp(']')) {
      items.push(this.expression());
      if (!this.isOp(']')) this.expectOp(',');
    }
    this.pos += 1;
    return { t: 'list', items };
  }

  private object(): Node {
    const entries: [Node, Node][] = [];
    while (!this.isOp('}')) {
      // A bare name as a key is a literal string, not a reference.
      const tok = this.peek();
      let key: Node;
      if (tok.kind === 'id' && (this.isOp('=', 1) || this.isOp(':', 1))) {
        this.pos += 1;
        key = { t: 'lit', value: tok.value };
      } else key = this.expression();
      if (this.isOp('=') || this.isOp(':')) this.pos += 1;
      else throw new ExpressionError('expected "=" in object');
      entries.push([key, this.expression()]);
      if (this.isOp(',')) this.pos += 1;
    }
    this.pos += 1;
    return { t: 'object', entries };
  }

  private forExpr(object: boolean): Node {
    this.pos += 1; // `for`
    let keyVar: string | undefined;
    let valueVar = this.identifier();
    if (this.isOp(',')) {
      this.pos += 1;
      keyVar = valueVar;
      valueVar = this.identifier();
    }
    if (!this.isId('in')) throw new ExpressionError('expected "in" in for expression');
    this.pos += 1;
    const coll = this.expression();
    this.expectOp(':');
    let key: Node | undefined;
    let value = this.expression();
    if (object) {
      this.expectOp('=>');
      key = value;
      value = this.expression();
    }
    let group = false;
    if (this.isOp('...')) {
      this.pos += 1;
      group = true;
    }
    let cond: Node | undefined;
    if (this.isId('if')) {
      this.pos += 1;
      cond = this.expression();
    }
    this.expectOp(object ? '}' : ']');
    return { t: 'for', object, keyVar, valueVar, coll, key, value, cond, group };
  }
}

// ---- evaluation ----

/** Names of Terraform's own roots; anything else at the root is a resource or data reference. */
const COMPUTED_ROOTS = new Set(['data', 'module', 'self']);

function evaluate(node: Node, scope: Scope): TfValue {
  switch (node.t) {
    case 'lit':
      return node.value;
    case 'tpl':
      return evaluateTemplate(unescapeString(node.raw), scope);
    case 'ref':
      return reference(node.root, scope);
    case 'attr':
      return attribute(node, scope);
    case 'index':
      return index(evaluate(node.target, scope), evaluate(node.key, scope));
    case 'splat': {
      const target = evaluate(node.target, scope);
      return new Unknown(target instanceof Unknown ? target.reason : 'splat expressions are not evaluated');
    }
    case 'call':
      return callNode(node, scope);
    case 'list':
      return node.items.map((item) => evaluate(item, scope));
    case 'object': {
      const out: Record<string, TfValue> = {};
      for (const [k, v] of node.entries) {
        const key = evaluate(k, scope);
        if (key instanceof Unknown) return key;
        out[String(key)] = evaluate(v, scope);
      }
      return out;
    }
    case 'unary': {
      const value = evaluate(node.operand, scope);
      if (value instanceof Unknown) return value;
      if (node.op === '!') return !truthy(value);
      return -toNumber(value);
    }
    case 'binary':
      return binary(node.op, evaluate(node.left, scope), evaluate(node.right, scope));
    case 'cond': {
      const test = evaluate(node.test, scope);
      if (test instanceof Unknown) return test;
      return evaluate(truthy(test) ? node.then : node.else, scope);
    }
    case 'for':
      return forEach(node, scope);
  }
}

function unescapeString(raw: string): string {
  return raw.replace(/\\(["\\nrt])/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
}

function reference(root: string, scope: Scope): TfValue {
  if (scope.bound && root in scope.bound) return scope.bound[root]!;
  if (root === 'var' || root === 'local' || root === 'each' || root === 'count' || root === 'path') {
    // Resolved together with the attribute that follows (see `attribute`).
    return new Unknown(`"${root}" used without an attribute`);
  }
  if (root === 'terraform') return { workspace: 'default' };
  if (COMPUTED_ROOTS.has(root)) return new Unknown(`depends on ${root}.…, known only after apply`);
  return new Unknown(`depends on ${root}.…, known only after apply`);
}

function attribute(node: { target: Node; name: string }, scope: Scope): TfValue {
  const target = node.target;
  if (target.t === 'ref' && !(scope.bound && target.root in scope.bound)) {
    const { root } = target;
    const name = node.name;
    if (root === 'var') return scope.variable(name);
    if (root === 'local') return scope.local(name);
    if (root === 'each') {
      if (!scope.each) return new Unknown('each.… used outside for_each');
      return name === 'key'
        ? scope.each.key
        : name === 'value'
          ? scope.each.value
          : new Unknown(`each.${name}`);
    }
    if (root === 'count') {
      if (!scope.count || name !== 'index') return new Unknown('count.index used outside count');
      return scope.count.index;
    }
    if (root === 'path') return name === 'module' ? '.' : name === 'root' ? '.' : scope.moduleDir;
    if (root === 'data' || root === 'module')
      return new Unknown(`depends on ${root}.${name}, known only after apply`);
    return new Unknown(`depends on ${root}.${name}, known only after apply`);
  }
  const value = evaluate(target, scope);
  if (value instanceof Unknown) return value;
  return index(value, node.name);
}

function index(target: TfValue, key: TfValue): TfValue {
  if (target instanceof Unknown) return target;
  if (key instanceof Unknown) return key;
  if (Array.isArray(target)) {
    const i = toNumber(key);
    if (!Number.isInteger(i) || i < 0 || i >= target.length)
      return new Unknown(`index ${String(key)} out of range`);
    return target[i]!;
  }
  if (isObjectValue(target)) {
    const k = String(key);
    return k in target ? target[k]! : new Unknown(`no key "${k}"`);
  }
  return new Unknown(`cannot index a ${typeName(target)}`);
}

function callNode(node: { name: string; args: Node[]; expand: boolean }, scope: Scope): TfValue {
  // try() and can() must see failures of their arguments instead of propagating them.
  if (node.name === 'try' || node.name === 'can') {
    for (const arg of node.args) {
      const value = evaluate(arg, scope);
      const unknown = findUnknown(value);
      if (node.name === 'can') return unknown === null ? true : unknown;
      if (unknown === null) return value;
    }
    return new Unknown('no argument of try() could be evaluated');
  }
  let args = node.args.map((arg) => evaluate(arg, scope));
  if (node.expand) {
    const last = args[args.length - 1];
    if (last instanceof Unknown) return last;
    if (!Array.isArray(last)) return new Unknown('"..." expects a list');
    args = [...args.slice(0, -1), ...last];
  }
  if (node.name === 'file') {
    const [rel] = args;
    if (typeof rel !== 'string') return rel instanceof Unknown ? rel : new Unknown('file() expects a path');
    return scope.readFile(rel);
  }
  try {
    return callFunction(node.name, args);
  } catch (err) {
    return new Unknown(`${node.name}(): ${(err as Error).message}`);
  }
}

function forEach(node: Extract<Node, { t: 'for' }>, scope: Scope): TfValue {
  const coll = evaluate(node.coll, scope);
  if (coll instanceof Unknown) return coll;
  const pairs: [TfValue, TfValue][] = Array.isArray(coll)
    ? coll.map((v, i) => [i, v])
    : isObjectValue(coll)
      ? Object.entries(coll)
      : [];
  const outList: TfValue[] = [];
  const outObj: Record<string, TfValue> = {};
  for (const [k, v] of pairs) {
    const bound = { ...scope.bound, [node.valueVar]: v, ...(node.keyVar ? { [node.keyVar]: k } : {}) };
    const inner: Scope = { ...scope, bound };
    if (node.cond) {
      const test = evaluate(node.cond, inner);
      if (test instanceof Unknown) return test;
      if (!truthy(test)) continue;
    }
    const value = evaluate(node.value, inner);
    if (!node.object) {
      outList.push(value);
      continue;
    }
    const key = evaluate(node.key!, inner);
    if (key instanceof Unknown) return key;
    const name = String(key);
    if (node.group) outObj[name] = [...((outObj[name] as TfValue[] | undefined) ?? []), value];
    else outObj[name] = value;
  }
  return node.object ? outObj : outList;
}

function binary(op: string, left: TfValue, right: TfValue): TfValue {
  if (op === '&&' || op === '||') {
    // Short-circuit on a known side, as Terraform does for unknowns.
    if (!(left instanceof Unknown) && (op === '&&' ? !truthy(left) : truthy(left))) return op === '||';
    if (left instanceof Unknown) return left;
    if (right instanceof Unknown) return right;
    return truthy(right);
  }
  if (left instanceof Unknown) return left;
  if (right instanceof Unknown) return right;
  switch (op) {
    case '==':
      return JSON.stringify(left) === JSON.stringify(right);
    case '!=':
      return JSON.stringify(left) !== JSON.stringify(right);
    case '<':
      return toNumber(left) < toNumber(right);
    case '>':
      return toNumber(left) > toNumber(right);
    case '<=':
      return toNumber(left) <= toNumber(right);
    case '>=':
      return toNumber(left) >= toNumber(right);
    case '+':
      return toNumber(left) + toNumber(right);
    case '-':
      return toNumber(left) - toNumber(right);
    case '*':
      return toNumber(left) * toNumber(right);
    case '/':
      return toNumber(left) / toNumber(right);
    case '%':
      return toNumber(left) % toNumber(right);
  }
  return new Unknown(`operator ${op} not supported`);
}

function truthy(value: TfValue): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new ExpressionError(`expected a bool, got ${typeName(value)}`);
}

function toNumber(value: TfValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  throw new ExpressionError(`expected a number, got ${typeName(value)}`);
}
