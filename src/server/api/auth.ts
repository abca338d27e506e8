/**
 * Bearer tokens of the REST API. Tokens come from the environment variables `api.tokens[].token_env`
 * names in ccost.yaml; they are compared in constant time and never logged.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../core/config/schema.ts';
import { CcostError, ErrorCode } from '../../core/errors/index.ts';

/** Who a request's token belongs to and what it may see. */
export interface ApiCaller {
  name: string;
  /** Teams the token may see; undefined: all. */
  teams?: string[];
  /** May trigger collection. */
  trigger: boolean;
  /** May remove an organization's data. */
  admin?: boolean;
}

/** Resolved tokens: a digest of each token and its caller. */
export interface TokenTable {
  readonly entries: { digest: Buffer; caller: ApiCaller }[];
}

/**
 * Reads every configured token from the environment. A token whose variable is unset or empty is
 * a configuration error naming the variable (serve refuses to start rather than lock users out).
 */
export function loadTokens(config: Config, env: NodeJS.ProcessEnv): TokenTable {
  const missing = config.api.tokens.filter((t) => !env[t.token_env]).map((t) => t.token_env);
  if (missing.length > 0) {
    throw new CcostError(
      ErrorCode.CredentialsMissing,
      `api.tokens in ccost.yaml names ${missing.join(', ')}, but ${missing.length === 1 ? 'it is' : 'they are'} not set in the environment`,
    );
  }
  return {
    entries: config.api.tokens.map((t) => ({
      digest: digest(env[t.token_env]!),
      caller: { name: t.name, teams: t.teams, trigger: t.trigger, admin: t.admin },
    })),
  };
}

/** The caller of an `Authorization: Bearer …` header, or null when it is missing or unknown. */
export function authenticate(tokens: TokenTable, header: string | undefined): ApiCaller | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const given = digest(match[1]!);
  // Compare against every entry so the time taken does not say which token nearly matched.
  let found: ApiCaller | null = null;
  for (const entry of tokens.entries) if (timingSafeEqual(entry.digest, given)) found ??= entry.caller;
  return found;
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
