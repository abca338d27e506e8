import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatIssuePath, parseResponse } from '../../../src/core/collect/validate.ts';
import type { CcostError } from '../../../src/core/errors/index.ts';

describe('parseResponse', () => {
  const schema = z.looseObject({ data: z.array(z.looseObject({ spec: z.looseObject({ n: z.string() }) })) });

  it('returns the typed value and keeps unknown fields', () => {
    expect(parseResponse(schema, { data: [{ spec: { n: 'x', extra: 1 } }], more: true }, 'GET /x')).toEqual({
      data: [{ spec: { n: 'x', extra: 1 } }],
      more: true,
    });
  });

  it('names the endpoint and the field path', () => {
    const error = (() => {
      try {
        parseResponse(schema, { data: [{ spec: { n: 'a' } }, { spec: {} }] }, 'GET /cmk/v2/clusters');
      } catch (e) {
        return e as CcostError;
      }
    })();
    expect(error?.code).toBe('api_response_invalid');
    expect(error?.message).toBe(
      'GET /cmk/v2/clusters: data[1].spec.n: expected string, received undefined (the API answered in a shape ccost does not know)',
    );
  });

  it('quotes keys that are not plain names', () => {
    expect(formatIssuePath(['My Connector', 'id', 'id'])).toBe('["My Connector"].id.id');
    expect(formatIssuePath(['data', 0, 'metric.principal_id'])).toBe('data[0]["metric.principal_id"]');
    expect(formatIssuePath([])).toBe('');
  });
});
