/**
 * IAM v2: service accounts, users, identity providers and their identity pools, and API keys
 * (whose `spec.owner` ties usage by key to a principal).
 */
import { z } from 'zod';
import type { ApiClient } from './http.ts';
import { listAll } from './list.ts';

/** `iam.v2.ServiceAccount`, the fields ccost reads. */
export const serviceAccountSchema = z.looseObject({
  id: z.string().min(1),
  display_name: z.string().nullish(),
  description: z.string().nullish(),
});

/** `iam.v2.User`, the fields ccost reads. */
export const userSchema = z.looseObject({
  id: z.string().min(1),
  email: z.string().nullish(),
  full_name: z.string().nullish(),
});

/** `iam.v2.IdentityProvider`, the fields ccost reads. */
export const identityProviderSchema = z.looseObject({
  id: z.string().min(1),
  display_name: z.string().nullish(),
});

/** `iam.v2.IdentityPool`, the fields ccost reads. */
export const identityPoolSchema = z.looseObject({
  id: z.string().min(1),
  display_name: z.string().nullish(),
  description: z.string().nullish(),
});

/** `iam.v2.ApiKey`, the fields ccost reads; `spec.resource` is null for Cloud API keys. */
export const apiKeySchema = z.looseObject({
  id: z.string().min(1),
  spec: z.looseObject({
    display_name: z.string().nullish(),
    owner: z.looseObject({ id: z.string().min(1), kind: z.string().nullish() }).nullish(),
    resource: z.looseObject({ id: z.string().min(1), kind: z.string().nullish() }).nullish(),
  }),
});

export type ServiceAccount = z.output<typeof serviceAccountSchema>;
export type User = z.output<typeof userSchema>;
export type IdentityProvider = z.output<typeof identityProviderSchema>;
export type IdentityPool = z.output<typeof identityPoolSchema>;
export type ApiKey = z.output<typeof apiKeySchema>;

/** Every service account. */
export function listServiceAccounts(client: ApiClient): Promise<ServiceAccount[]> {
  return listAll(client, '/iam/v2/service-accounts', serviceAccountSchema);
}

/** Every user. */
export function listUsers(client: ApiClient): Promise<User[]> {
  return listAll(client, '/iam/v2/users', userSchema);
}

/** Every identity provider (OAuth/OIDC). */
export function listIdentityProviders(client: ApiClient): Promise<IdentityProvider[]> {
  return listAll(client, '/iam/v2/identity-providers', identityProviderSchema);
}

/** Every identity pool of one identity provider. */
export function listIdentityPools(client: ApiClient, providerId: string): Promise<IdentityPool[]> {
  return listAll(
    client,
    `/iam/v2/identity-providers/${encodeURIComponent(providerId)}/identity-pools`,
    identityPoolSchema,
  );
}

/** Every API key, Cloud and resource-scoped. */
export function listApiKeys(client: ApiClient): Promise<ApiKey[]> {
  return listAll(client, '/iam/v2/api-keys', apiKeySchema);
}
