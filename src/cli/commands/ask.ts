import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ask } from '../../core/questions/ask.ts';
import { type CliIo, readConfig, withStore } from '../context.ts';

/**
 * `ccost ask "team payments last month" [--chart FILE]`: the /ccost answer in the terminal, as
 * someone who may see every team; the chart PNG is written when the answer has one.
 */
export function registerAsk(program: Command, io: CliIo): void {
  program
    .command('ask')
    .description('answer a question as /ccost does, e.g. "team payments last month" (see `ccost ask help`)')
    .argument('<question...>', 'the question, in words')
    .option('--chart <file>', 'where to write the chart PNG', 'ccost-chart.png')
    .action(async (words: string[], opts: { chart: string }) => {
      const config = readConfig(io, program.opts().config);
      const result = await withStore(io, (store) => ask(store, words.join(' '), { config }));
      io.stdout(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
      if (result.kind === 'answer' && result.chart) {
        writeFileSync(opts.chart, result.chart);
        io.stdout(`\nChart: ${opts.chart}\n`);
      }
    });
}
