import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfigText } from '../../../src/core/config/load.ts';

describe('ccost.yaml', () => {
  it('fills defaults for an empty file', () => {
    const config = parseConfigText('');
    expect(config.allocation.cku).toEqual({ usage_weight: '0.5', even_weight: '0.5' });
    expect(config.allocation.flink).toBe('environment');
    expect(config.currency).toBe('USD');
  });

  it('keeps YAML numbers as their exact decimal text', () => {
    const config = parseConfigText(
      'allocation:\n  cku: { usage_weight: 0.7, even_weight: 0.3 }\nteams:\n  p:\n    budget: { monthly: 1250.10 }\n',
    );
    expect(config.allocation.cku).toEqual({ usage_weight: '0.7', even_weight: '0.3' });
    expect(config.teams.p!.budget!.monthly).toBe('1250.1');
  });

  it('names every invalid key and what is allowed', () => {
    const text = [
      'teams:',
      '  payments:',
      '    owners:',
      '      - { id: sa-1, pattern: "x*" }',
      '      - { id: sa-2, from: 1st of May }',
      'allocation:',
      '  cku: { usage_weight: -1 }',
      '  rules:',
      '    - { method: usage }',
      '    - { line_type: X, method: magic }',
      'colour: blue',
    ].join('\n');
    let error: ConfigError | undefined;
    try {
      parseConfigText(text, 'ccost.yaml');
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const byPath = Object.fromEntries(error!.issues.map((i) => [i.path, i.message]));
    expect(byPath['teams.payments.owners[0]']).toMatch(/exactly one of id, pattern or environment/);
    expect(byPath['teams.payments.owners[1].from']).toMatch(/YYYY-MM-DD/);
    expect(byPath['allocation.cku.usage_weight']).toMatch(/must not be negative/);
    expect(byPath['allocation.rules[0]']).toMatch(/needs product or line_type/);
    expect(byPath['allocation.rules[1].method']).toMatch(/usage.*weighted.*unallocated/);
    expect(error!.message).toMatch(/^ccost\.yaml: /);
    expect(error!.issues.some((i) => i.message.includes('colour'))).toBe(true);
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(() => parseConfigText('teams:\n  a: [unclosed\n', 'x.yaml')).toThrow(/^x\.yaml:\d+:\d+: /);
  });

  it('reads CCOST_CONFIG, and a missing named file is an error while a missing default is not', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ccost-config-'));
    const file = path.join(dir, 'c.yaml');
    writeFileSync(file, 'currency: EUR\n');
    expect(loadConfig(undefined, { CCOST_CONFIG: file }).currency).toBe('EUR');
    expect(() => loadConfig(path.join(dir, 'nope.yaml'), {})).toThrow(/config file not found: .*nope\.yaml/);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(loadConfig(undefined, {}).teams).toEqual({});
    } finally {
      process.chdir(cwd);
    }
  });
});
