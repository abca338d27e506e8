/** The Cloud API and Metrics API clients of one organization, from ccost.yaml and the environment. */
import type { Config } from '../config/schema.ts';
import { createApiClient } from './http.ts';
import { apiCredentials, apiUrls } from './urls.ts';

/** Builds both clients; throws a credentials error naming the unset variables. */
export function clientsFor(org: Config['organizations'][number], env: NodeJS.ProcessEnv) {
  const urls = apiUrls(org, env);
  const { apiKey, apiSecret } = apiCredentials(org, env);
  const common = { apiKey, apiSecret, requestsPerSecond: org.requests_per_second };
  return {
    api: createApiClient({ ...common, baseUrl: urls.api, name: 'Confluent Cloud API' }),
    telemetry: createApiClient({ ...common, baseUrl: urls.telemetry, name: 'Confluent Metrics API' }),
  };
}
