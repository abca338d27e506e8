import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  editDistance,
  matchName,
  parseQuestion,
  type Question,
  type QuestionError,
} from '../../../src/core/questions/grammar.ts';
import { HELP_EXAMPLES, helpText } from '../../../src/core/questions/help.ts';

/** Monday 2026-11-23, mid-afternoon UTC. */
const NOW = new Date('2026-11-23T15:00:00Z');

function ask(text: string): Question {
  const q = parseQuestion(text, NOW);
  if (q.kind === 'error') throw new Error(`"${text}": ${q.message}`);
  return q;
}

function refuse(text: string): QuestionError {
  const q = parseQuestion(text, NOW);
  if (q.kind !== 'error') throw new Error(`"${text}" parsed as ${q.kind}`);
  return q;
}

/** The question with its period reduced to the label, for compact expectations. */
function brief(text: string): Record<string, unknown> {
  const q = ask(text);
  return 'period' in q ? { ...q, period: q.period.label } : { ...q };
}

const OCT = 'October 2026';
const NOV = 'November 2026 (to date)';
const base = { periodDefaulted: false, share: false };

describe('parseQuestion', () => {
  it.each([
    ['team payments last month', { kind: 'team', team: 'payments', period: OCT, ...base }],
    ['team payments mtd by product', { kind: 'team', team: 'payments', period: NOV, by: 'product', ...base }],
    [
      'team payments by principal last month',
      { kind: 'team', team: 'payments', period: OCT, by: 'principal', ...base },
    ],
    ['compare team payments last month', { kind: 'compare', team: 'payments', period: OCT, ...base }],
    [
      'budget team payments',
      { kind: 'budget', team: 'payments', period: NOV, periodDefaulted: true, share: false },
    ],
    ['explain team payments last month', { kind: 'explain', team: 'payments', period: OCT, ...base }],
    ['top teams this month', { kind: 'top', dimension: 'team', limit: 10, period: NOV, ...base }],
    [
      'top 5 teams',
      { kind: 'top', dimension: 'team', limit: 5, period: NOV, periodDefaulted: true, share: false },
    ],
    [
      'top principals in team payments last 7 days',
      {
        kind: 'top',
        dimension: 'principal',
        limit: 10,
        scope: { kind: 'team', name: 'payments' },
        period: 'last 7 days',
        ...base,
      },
    ],
    [
      'cluster lkc-abc12 yesterday',
      { kind: 'scope', scope: { kind: 'cluster', name: 'lkc-abc12' }, period: 'yesterday (Nov 22)', ...base },
    ],
    [
      'principal sa-123 2026-10',
      { kind: 'scope', scope: { kind: 'principal', name: 'sa-123' }, period: OCT, ...base },
    ],
    [
      'env production q3',
      { kind: 'scope', scope: { kind: 'environment', name: 'production' }, period: 'Q3 2026', ...base },
    ],
    [
      'environment production q3',
      { kind: 'scope', scope: { kind: 'environment', name: 'production' }, period: 'Q3 2026', ...base },
    ],
    [
      'product flink last month',
      { kind: 'scope', scope: { kind: 'product', name: 'flink' }, period: OCT, ...base },
    ],
    ['unallocated last month', { kind: 'unallocated', period: OCT, ...base }],
    ['reconcile 2026-10', { kind: 'reconcile', period: OCT, ...base }],
    ['insights', { kind: 'insights', period: NOV, periodDefaulted: true, share: false }],
    [
      'insights payments',
      { kind: 'insights', team: 'payments', period: NOV, periodDefaulted: true, share: false },
    ],
    ['insights last month', { kind: 'insights', period: OCT, ...base }],
    ['help', { kind: 'help', share: false }],
  ])('%s', (text, expected) => {
    expect(brief(text)).toEqual(expected);
  });

  it('ignores case, extra spaces and a leading /ccost; reads a trailing share', () => {
    expect(brief('  /ccost   TEAM  payments   Last   Month   SHARE ')).toEqual({
      kind: 'team',
      team: 'payments',
      period: OCT,
      periodDefaulted: false,
      share: true,
    });
    expect(ask('/CCOST help share')).toEqual({ kind: 'help', share: true });
  });

  it('keeps the name as typed and reads quoted names with spaces', () => {
    expect(ask('team Payments q3')).toMatchObject({ team: 'Payments' });
    expect(ask('team "data platform" q3')).toMatchObject({ team: 'data platform' });
    expect(ask('team “data platform”')).toMatchObject({ team: 'data platform', periodDefaulted: true });
    expect(ask('team "today"')).toMatchObject({ team: 'today' });
  });

  it('defaults the period to this month and says so', () => {
    const q = ask('team payments');
    expect(q).toMatchObject({ periodDefaulted: true });
    expect('period' in q && q.period).toMatchObject({ from: '2026-11-01', to: '2026-12-01', kind: 'month' });
  });

  it('accepts plural breakdowns, env, a filler word and a period range', () => {
    expect(ask('team payments by products')).toMatchObject({ by: 'product' });
    expect(ask('cluster lkc-1 last week by env')).toMatchObject({ by: 'environment' });
    expect(ask('team payments in october')).toMatchObject({ period: { label: OCT } });
    expect(ask('team payments 2026-10-01..2026-10-15')).toMatchObject({
      period: { from: '2026-10-01', to: '2026-10-16', kind: 'range' },
    });
    expect(ask('top 3 clusters last month')).toMatchObject({ dimension: 'cluster', limit: 3 });
    expect(ask('top')).toMatchObject({ dimension: 'team', limit: 10, periodDefaulted: true });
    expect(ask('compare payments q3')).toMatchObject({ kind: 'compare', team: 'payments' });
  });

  it('parses every example in the help text', () => {
    for (const example of HELP_EXAMPLES) {
      expect(helpText()).toContain(example);
      expect(parseQuestion(example, NOW).kind).not.toBe('error');
    }
  });
});

describe('parseQuestion errors', () => {
  it.each([
    ['tema payments', 'team payments'],
    ['teem payments last month', 'team payments last month'],
    ['comapre team payments', 'compare team payments'],
    ['budgte team payments', 'budget team payments'],
    ['clustr lkc-abc12', 'cluster lkc-abc12'],
    ['unalocated last month', 'unallocated last month'],
    ['reconcle 2026-10', 'reconcile 2026-10'],
    ['hlep', 'help'],
  ])('suggests a near miss: %s', (text, suggestion) => {
    const error = refuse(text);
    expect(error.code).toBe('unknown_command');
    expect(error.suggestions[0]).toBe(suggestion);
    expect(error.message).toContain(`did you mean \`${suggestion}\`?`.replace('did', 'Did'));
  });

  it('explains an unknown command and guesses a bare name or period', () => {
    expect(refuse('xyzzy plugh')).toMatchObject({ code: 'unknown_command' });
    expect(refuse('xyzzy plugh').message).toContain('/ccost help');
    expect(refuse('payments last month').suggestions).toEqual(['team payments last month']);
    expect(refuse('last month').suggestions).toContain('top teams last month');
  });

  it('asks for a missing name', () => {
    expect(refuse('team')).toMatchObject({ code: 'missing_name', suggestions: ['team payments'] });
    expect(refuse('team last month')).toMatchObject({
      code: 'missing_name',
      suggestions: ['team payments last month'],
    });
    expect(refuse('cluster yesterday').message).toContain('Which cluster?');
    expect(refuse('top principals in team').code).toBe('missing_name');
    expect(refuse('compare team').code).toBe('missing_name');
  });

  it('reports a bad period with the reason and a fix', () => {
    const typo = refuse('team payments last mnth');
    expect(typo).toMatchObject({ code: 'bad_period', suggestions: ['team payments last month'] });
    expect(refuse('team payments 2026-02-30').message).toContain('February 2026 has days 1 to 28');
    expect(refuse('reconcile 2026-13').message).toContain('no month 13');
    expect(refuse('team payments someday soon').suggestions).toContain('team payments last month');
  });

  it('reports bad arguments with suggestions', () => {
    expect(refuse('team payments by prodcut')).toMatchObject({
      code: 'bad_argument',
      suggestions: ['team payments by product'],
    });
    expect(refuse('team payments last month by')).toMatchObject({ code: 'bad_argument' });
    expect(refuse('top principles')).toMatchObject({ code: 'bad_argument', suggestions: ['top principals'] });
    expect(refuse('top 0 teams').code).toBe('bad_argument');
    expect(refuse('top 500 teams').code).toBe('bad_argument');
    expect(refuse('reconcile 2026-10 by team').code).toBe('bad_argument');
  });

  it('answers empty and huge input with an error', () => {
    expect(refuse('').code).toBe('empty');
    expect(refuse('   ').code).toBe('empty');
    expect(refuse('/ccost').code).toBe('empty');
    expect(refuse('share').code).toBe('empty');
    expect(refuse('team '.repeat(2000)).code).toBe('too_long');
    expect(refuse('x'.repeat(10_000)).code).toBe('too_long');
  });

  it('never throws on arbitrary input', () => {
    const words = fc.constantFrom(
      'team',
      'top',
      'by',
      'in',
      'last',
      'month',
      'q3',
      '5',
      '"',
      'share',
      '/ccost',
      'payments',
      '2026-02-30',
      '..',
      'product',
      '🚀',
      '',
      ' ',
      'env',
    );
    const phrase = fc.array(words, { maxLength: 8 }).map((w) => w.join(' '));
    const input = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: 'binary' }),
      phrase,
    );
    fc.assert(
      fc.property(input, fc.date({ noInvalidDate: true }), (text, now) => {
        const q = parseQuestion(text, now);
        expect(typeof q.kind).toBe('string');
        if (q.kind === 'error') expect(q.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('does not throw on emoji, control characters, 10k characters or non-strings', () => {
    for (const text of [
      '🚀🚀 team 💸',
      '\u0000\u200b\ud800',
      'team\tpayments\nlast month',
      'a'.repeat(10_000),
    ]) {
      expect(() => parseQuestion(text, NOW)).not.toThrow();
    }
    expect(ask('team\tpayments\nlast month')).toMatchObject({ team: 'payments' });
    expect(parseQuestion(undefined as unknown as string, NOW).kind).toBe('error');
    expect(parseQuestion('team payments', new Date(Number.NaN)).kind).toBe('error');
  });
});

describe('matchName', () => {
  const teams = [
    { id: 'payments', name: 'Payments' },
    { id: 'payroll', name: null },
    { id: 'search', name: 'Search & Discovery' },
    { id: 'sa-123', name: 'orders-writer' },
  ];

  it('matches exactly by id or name, case-insensitively', () => {
    expect(matchName('PAYMENTS', teams).match?.id).toBe('payments');
    expect(matchName('search & discovery', teams).match?.id).toBe('search');
    expect(matchName('Orders-Writer', teams).match?.id).toBe('sa-123');
  });

  it('takes a unique prefix and lists ambiguous ones', () => {
    expect(matchName('sea', teams).match?.id).toBe('search');
    expect(matchName('pay', teams)).toEqual({ suggestions: [teams[0], teams[1]] });
    expect(matchName('s', teams)).toEqual({ suggestions: [] });
  });

  it('suggests near misses', () => {
    expect(matchName('paymnets', teams)).toEqual({ suggestions: [teams[0]] });
    expect(matchName('serch', teams).suggestions.map((t) => t.id)).toEqual(['search']);
    expect(matchName('zzz', teams)).toEqual({ suggestions: [] });
    expect(matchName('  ', teams)).toEqual({ suggestions: [] });
  });

  it('prefers an id over a name that equals it', () => {
    const things = [
      { id: 'a1', name: 'b2' },
      { id: 'b2', name: 'other' },
    ];
    expect(matchName('b2', things).match?.id).toBe('b2');
  });
});

describe('editDistance', () => {
  it.each([
    ['team', 'team', 0],
    ['tema', 'team', 1],
    ['team', 'teams', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%s → %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it('is cheap on huge strings', () => {
    expect(editDistance('a'.repeat(10_000), 'b')).toBe(10_000);
  });
});
