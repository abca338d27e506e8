import { existsSync, readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { CcostError, ErrorCode, InputError } from '../errors/index.ts';
import { type Config, configSchema } from './schema.ts';

/** One problem in a config file, as data; `formatConfigIssues` turns these into text. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** Thrown when ccost.yaml is invalid; `issues` lists every violation with its key path. */
export class ConfigError extends InputError {
  readonly issues: ConfigIssue[];
  constructor(file: string, issues: ConfigIssue[]) {
    super(ErrorCode.ConfigInvalid, file, formatConfigIssues(issues));
    this.issues = issues;
    this.name = 'ConfigError';
  }
}

/** "teams.payments.owners[2]: each owner entry needs …; allocation.flink: …" */
export function formatConfigIssues(issues: ConfigIssue[]): string {
  return issues.map((i) => `${i.path || '(top level)'}: ${i.message}`).join('; ');
}

function pathOf(issue: z.core.$ZodIssue): string {
  return issue.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

/** Validates an already-parsed config object. */
export function parseConfig(input: unknown, file = 'ccost.yaml'): Config {
  const result = configSchema.safeParse(input ?? {});
  if (!result.success) {
    throw new ConfigError(
      file,
      result.error.issues.map((issue) => ({ path: pathOf(issue), message: issue.message })),
    );
  }
  return result.data;
}

/** Parses YAML text and validates it; syntax errors name the line and column. */
export function parseConfigText(text: string, file = 'ccost.yaml'): Config {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const pos = first.linePos?.[0];
    const where = pos ? `${file}:${pos.line}:${pos.col}` : file;
    throw new InputError(ErrorCode.ConfigInvalid, where, first.message.split('\n')[0] ?? 'invalid YAML');
  }
  return parseConfig(doc.toJS(), file);
}

/**
 * Loads `ccost.yaml`: the path given, else `$CCOST_CONFIG`, else `./ccost.yaml`.
 * A missing default file gives the empty config; a missing named file is an error.
 */
export function loadConfig(file?: string, env: NodeJS.ProcessEnv = process.env): Config {
  const named = file ?? env.CCOST_CONFIG;
  const target = named ?? 'ccost.yaml';
  if (!existsSync(target)) {
    if (named)
      throw new CcostError(
        ErrorCode.ConfigNotFound,
        `config file not found: ${target} (check --config or CCOST_CONFIG)`,
      );
    return parseConfig({});
  }
  return parseConfigText(readFileSync(target, 'utf8'), target);
}
