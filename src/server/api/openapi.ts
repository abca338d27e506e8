/** The OpenAPI 3.1 document of the REST API, served at `/openapi.json`. */

import { DIMENSION_KINDS } from '../../core/costs/dimensions.ts';
import { COST_DIMENSIONS, GRANULARITIES } from '../../core/costs/query.ts';

const query = (name: string, description: string, schema: object = { type: 'string' }, required = false) => ({
  name,
  in: 'query',
  required,
  description,
  schema,
});
const day = { type: 'string', format: 'date' };
const errors = {
  '400': { $ref: '#/components/responses/Error' },
  '401': { $ref: '#/components/responses/Error' },
  '403': { $ref: '#/components/responses/Error' },
};
const ok = (description: string, extra: object = {}) => ({
  '200': { description, content: { 'application/json': { schema: { type: 'object' } }, ...extra } },
  ...errors,
});

/** Builds the document; `version` is the package version. */
export function openApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'ccost API',
      version,
      description:
        'Confluent Cloud costs allocated to teams. Read-only but for triggers. Amounts are exact decimal strings in the configured currency.',
    },
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/costs': {
        get: {
          summary: 'Costs over a date range, grouped and filtered',
          parameters: [
            query('from', 'First day (inclusive)', day, true),
            query('to', 'Last day (exclusive)', day, true),
            query('group_by', `Comma-separated, up to 4 of: ${COST_DIMENSIONS.join(', ')}`),
            query('granularity', 'Time buckets', {
              type: 'string',
              enum: [...GRANULARITIES],
              default: 'total',
            }),
            query('discounts', 'false: list amounts before discounts (gross)', {
              type: 'boolean',
              default: true,
            }),
            query('credits', 'false: leave credit lines out', { type: 'boolean', default: true }),
            query('format', 'json or csv (or Accept: text/csv)', { type: 'string', enum: ['json', 'csv'] }),
            ...COST_DIMENSIONS.map((d) => query(d, `Keep only these ${d} values (comma-separated)`)),
          ],
          responses: ok('Rows and their exact total', { 'text/csv': { schema: { type: 'string' } } }),
        },
      },
      '/api/v1/teams/{team}/budget': {
        get: {
          summary: "A team's budget, actual and run-rate forecast for a month",
          parameters: [
            { name: 'team', in: 'path', required: true, schema: { type: 'string' } },
            query('month', 'YYYY-MM; default: this month', { type: 'string', pattern: '^\\d{4}-\\d{2}$' }),
          ],
          responses: { ...ok('The budget status'), '404': { $ref: '#/components/responses/Error' } },
        },
      },
      '/api/v1/explain': {
        get: {
          summary:
            "How a team's figure was built: per product and line type, the billed lines, methods, fallbacks, runs and what would change it; drill down by resource, billing line and day",
          parameters: [
            query('team', 'Team name', { type: 'string' }, true),
            query('from', 'First day (inclusive)', day, true),
            query('to', 'Last day (exclusive)', day, true),
            query('resource', 'One resource of the team (`(none)` for lines without one)'),
            query('line', 'One billing line id', { type: 'integer', minimum: 1 }),
            query('day', 'One day of the resource (with resource)', day),
          ],
          responses: {
            ...ok('The explanation; its children sum exactly to its total'),
            '404': { $ref: '#/components/responses/Error' },
          },
        },
      },
      '/api/v1/prices': {
        get: {
          summary: "The org's effective unit prices from its billing lines (default: last full month)",
          parameters: [
            query('from', 'First day', day),
            query('to', 'Last day (exclusive)', day),
            query('org', 'Organization id'),
          ],
          responses: ok('Unit prices per product and line type'),
        },
      },
      '/api/v1/resources': {
        get: {
          summary: 'Active resources with owner team and month-to-date cost',
          responses: ok('Resources'),
        },
      },
      '/api/v1/periods': {
        get: {
          summary: 'Each month: open, provisional or closed, and its reconciliation',
          responses: ok('Periods'),
        },
      },
      '/api/v1/dimensions/{kind}': {
        get: {
          summary: 'Values of a dimension with display names',
          parameters: [
            {
              name: 'kind',
              in: 'path',
              required: true,
              schema: { type: 'string', enum: [...DIMENSION_KINDS] },
            },
          ],
          responses: { ...ok('Values'), '404': { $ref: '#/components/responses/Error' } },
        },
      },
      '/api/v1/collect': {
        post: {
          summary: 'Start a collection now (tokens with trigger permission)',
          requestBody: {
            content: {
              'application/json': { schema: { type: 'object', properties: { org: { type: 'string' } } } },
            },
          },
          responses: {
            '202': { description: 'Started or already running' },
            ...errors,
            '503': { $ref: '#/components/responses/Error' },
          },
        },
      },
      '/api/v1/orgs': {
        get: {
          summary: 'The organizations with stored data (tokens without teams)',
          responses: ok('Organizations: billing span, allocation runs, closed months'),
        },
      },
      '/api/v1/orgs/{org}': {
        delete: {
          summary:
            'Remove every stored row of an organization in one transaction (tokens with admin: true); closed months included, other organizations untouched',
          parameters: [
            { name: 'org', in: 'path', required: true, schema: { type: 'string' } },
            query('dry_run', 'true: only count what would be removed', { type: 'boolean', default: false }),
          ],
          responses: {
            ...ok('Rows removed per table, their total and the closed months removed'),
            '404': { $ref: '#/components/responses/Error' },
            '409': { $ref: '#/components/responses/Error' },
          },
        },
      },
      '/healthz': {
        get: {
          summary: 'Liveness and job health',
          security: [],
          responses: { '200': { description: 'Healthy' }, '503': { description: 'Unhealthy' } },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          security: [],
          responses: { '200': { description: 'Prometheus text format' } },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      responses: {
        Error: {
          description: 'An error with a code and a message saying what to fix',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['error'],
                properties: {
                  error: {
                    type: 'object',
                    required: ['code', 'message'],
                    properties: {
                      code: { type: 'string' },
                      message: { type: 'string' },
                      parameter: { type: 'string' },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}
