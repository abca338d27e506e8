import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { openStoreFromEnv, type Store } from '../../src/core/storage/database.ts';
import { type CliHarness, createCliHarness } from './cli.ts';
import { loadQuestionsOrg } from './questions-seed.ts';

/** ccost.yaml of the CLI suites over the questions org (the teams of `questionsConfig`). */
export const QUESTIONS_YAML = [
  'organizations: [{ id: org-questions }]',
  'teams:',
  '  payments: { owners: [sa-123, sa-456], budget: { monthly: 700 } }',
  '  search: { owners: [sa-789] }',
  '  data: { owners: [{ environment: env-prod }] }',
  '',
].join('\n');

/**
 * A CLI harness whose database holds the questions org, and `yaml` written as its ccost.yaml;
 * `inspect` reads the store before it is closed (expected figures).
 */
export async function startQuestionsCli(
  yaml = QUESTIONS_YAML,
  inspect?: (store: Store) => Promise<void>,
): Promise<{ cli: CliHarness; config: string }> {
  const cli = createCliHarness();
  const config = path.join(cli.env.CCOST_HOME!, 'ccost.yaml');
  writeFileSync(config, yaml);
  const store = await openStoreFromEnv(cli.env);
  try {
    await loadQuestionsOrg(store);
    await inspect?.(store);
  } finally {
    await store.close();
  }
  return { cli, config };
}
