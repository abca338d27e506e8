import type { Command } from 'commander';
import { type CliIo, withStore } from '../context.ts';

/** `ccost migrate`: applies pending migrations (they also run on every start). */
export function registerMigrate(program: Command, io: CliIo): void {
  program
    .command('migrate')
    .description('create or upgrade the database schema (also done automatically on start)')
    .action(async () => {
      await withStore(io, async (store) => {
        io.stdout(`Database ${store.driver} at ${store.location} is up to date.\n`);
      });
    });
}
