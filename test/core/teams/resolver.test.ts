import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../src/core/config/load.ts';
import { globToRegex, TeamResolver, UNOWNED_TEAM } from '../../../src/core/teams/resolver.ts';

const resolver = (teams: unknown) => new TeamResolver(parseConfig({ teams }));
const facts = { orgId: 'org-1', day: '2026-10-10' };

describe('TeamResolver', () => {
  it('prefers an exact id over a pattern over an environment', () => {
    const r = resolver({
      envteam: { owners: [{ environment: 'env-1' }] },
      patterned: { owners: [{ pattern: 'pay*' }] },
      exact: { owners: ['sa-1'] },
    });
    expect(r.resolve({ ...facts, ownerId: 'sa-1', ownerName: 'payments-api', environmentId: 'env-1' })).toBe(
      'exact',
    );
    expect(
      r.resolve({ ...facts, ownerId: 'sa-2', ownerName: 'Payments-worker', environmentId: 'env-1' }),
    ).toBe('patterned');
    expect(r.resolve({ ...facts, ownerId: 'sa-3', ownerName: 'search', environmentId: 'env-1' })).toBe(
      'envteam',
    );
    expect(r.resolve({ ...facts, ownerId: 'sa-3', ownerName: 'search', environmentId: 'env-2' })).toBe(
      UNOWNED_TEAM,
    );
  });

  it('honours effective dates and organizations', () => {
    const r = resolver({
      a: { owners: [{ id: 'sa-1', until: '2026-10-15' }] },
      b: { owners: [{ id: 'sa-1', from: '2026-10-15', org: 'org-1' }] },
    });
    expect(r.resolve({ ...facts, ownerId: 'sa-1', day: '2026-10-14' })).toBe('a');
    expect(r.resolve({ ...facts, ownerId: 'sa-1', day: '2026-10-15' })).toBe('b');
    expect(r.resolve({ ...facts, orgId: 'org-2', ownerId: 'sa-1', day: '2026-10-15' })).toBe(UNOWNED_TEAM);
  });

  it('refuses one id mapped to two teams on the same days, naming the entry', () => {
    expect(() =>
      resolver({ a: { owners: ['sa-1'] }, b: { owners: [{ id: 'sa-1', from: '2026-01-01' }] } }),
    ).toThrow(ConfigError);
    expect(() => resolver({ a: { owners: ['sa-1'] }, b: { owners: ['sa-1'] } })).toThrow(
      /teams\.b\.owners\[0\].*also mapped to team a/,
    );
  });

  it('treats glob characters literally except * and ?', () => {
    expect(globToRegex('a.b*').test('a.bcd')).toBe(true);
    expect(globToRegex('a.b*').test('axbcd')).toBe(false);
    expect(globToRegex('sa-?').test('sa-1')).toBe(true);
    expect(globToRegex('sa-?').test('sa-12')).toBe(false);
  });
});
