/**
 * Where the Confluent Cloud APIs are and which key to use, from an organization's entry in
 * ccost.yaml and the environment. Secrets are read from the environment only and never printed.
 */
import type { z } from 'zod';
import type { organizationSchema } from '../config/schema.ts';
import { CcostError, ErrorCode } from '../errors/index.ts';

type OrganizationConfig = Partial<z.output<typeof organizationSchema>>;

/** The Cloud API (billing, org, IAM, cluster management) and the Metrics API. */
export const DEFAULT_API_URL = 'https://api.confluent.cloud';
export const DEFAULT_TELEMETRY_URL = 'https://api.telemetry.confluent.cloud';

/** Environment variables read when an organization names none. */
export const DEFAULT_API_KEY_ENV = 'CONFLUENT_CLOUD_API_KEY';
export const DEFAULT_API_SECRET_ENV = 'CONFLUENT_CLOUD_API_SECRET';

/** Base URLs of the two APIs. */
export interface ApiUrls {
  api: string;
  telemetry: string;
}

/** A Cloud API key and secret, and the variables they came from. */
export interface ApiCredentials {
  apiKey: string;
  apiSecret: string;
  keyEnv: string;
  secretEnv: string;
}

/**
 * Base URLs: the organization's `api_url` / `telemetry_url`, else `CONFLUENT_API_URL` /
 * `CONFLUENT_TELEMETRY_URL`, else Confluent's public endpoints.
 */
export function apiUrls(org: OrganizationConfig | undefined, env: NodeJS.ProcessEnv = process.env): ApiUrls {
  return {
    api: org?.api_url || env.CONFLUENT_API_URL || DEFAULT_API_URL,
    telemetry: org?.telemetry_url || env.CONFLUENT_TELEMETRY_URL || DEFAULT_TELEMETRY_URL,
  };
}

/**
 * The key and secret from the variables the organization names (`api_key_env`,
 * `api_secret_env`), by default CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET. An unset
 * or empty variable is a `credentials_missing` error naming the variable, never a value.
 */
export function apiCredentials(
  org: OrganizationConfig | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ApiCredentials {
  const keyEnv = org?.api_key_env || DEFAULT_API_KEY_ENV;
  const secretEnv = org?.api_secret_env || DEFAULT_API_SECRET_ENV;
  const missing = [keyEnv, secretEnv].filter((name) => !env[name]);
  if (missing.length > 0) {
    const whose = org?.id ? ` for organization ${org.id}` : '';
    const names = missing.join(' and ');
    throw new CcostError(
      ErrorCode.CredentialsMissing,
      `${names} ${missing.length > 1 ? 'are' : 'is'} not set${whose}: export the Cloud API key and secret ` +
        '(or name other variables with api_key_env / api_secret_env in ccost.yaml)',
    );
  }
  return { apiKey: env[keyEnv]!, apiSecret: env[secretEnv]!, keyEnv, secretEnv };
}
