import { describe, expect, it } from 'vitest';
import { apiCredentials, apiUrls } from '../../../src/core/collect/urls.ts';
import type { CcostError } from '../../../src/core/errors/index.ts';

describe('apiUrls', () => {
  it('takes ccost.yaml first, then the environment, then the public endpoints', () => {
    const env = { CONFLUENT_API_URL: 'http://proxy:8080', CONFLUENT_TELEMETRY_URL: 'http://proxy:8081' };
    expect(apiUrls({ id: 'org-1', api_url: 'https://cc.example.com' }, env)).toEqual({
      api: 'https://cc.example.com',
      telemetry: 'http://proxy:8081',
    });
    expect(apiUrls({ id: 'org-1' }, env)).toEqual({
      api: 'http://proxy:8080',
      telemetry: 'http://proxy:8081',
    });
    expect(apiUrls(undefined, {})).toEqual({
      api: 'https://api.confluent.cloud',
      telemetry: 'https://api.telemetry.confluent.cloud',
    });
  });
});

describe('apiCredentials', () => {
  it('reads the default variables, or the ones the organization names', () => {
    expect(
      apiCredentials(undefined, { CONFLUENT_CLOUD_API_KEY: 'K', CONFLUENT_CLOUD_API_SECRET: 'S' }),
    ).toEqual({
      apiKey: 'K',
      apiSecret: 'S',
      keyEnv: 'CONFLUENT_CLOUD_API_KEY',
      secretEnv: 'CONFLUENT_CLOUD_API_SECRET',
    });
    const org = { id: 'org-1', api_key_env: 'ACME_KEY', api_secret_env: 'ACME_SECRET' };
    expect(
      apiCredentials(org, { ACME_KEY: 'K2', ACME_SECRET: 'S2', CONFLUENT_CLOUD_API_KEY: 'no' }),
    ).toMatchObject({
      apiKey: 'K2',
      apiSecret: 'S2',
    });
  });

  it('names the missing variable and never prints a value', () => {
    const org = { id: 'org-1', api_key_env: 'ACME_KEY', api_secret_env: 'ACME_SECRET' };
    const error = (() => {
      try {
        apiCredentials(org, { ACME_SECRET: 'very-secret-value', ACME_KEY: '' });
      } catch (e) {
        return e as CcostError;
      }
    })();
    expect(error?.code).toBe('credentials_missing');
    expect(error?.message).toBe(
      'ACME_KEY is not set for organization org-1: export the Cloud API key and secret ' +
        '(or name other variables with api_key_env / api_secret_env in ccost.yaml)',
    );
    expect(error?.message).not.toContain('very-secret-value');
    expect(() => apiCredentials(undefined, {})).toThrow(
      'CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET are not set: export',
    );
  });
});
