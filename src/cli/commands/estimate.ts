import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CcostError, ErrorCode, InputError } from '../../core/errors/index.ts';
import { estimateChanges } from '../../core/pricing/estimate.ts';
import { pricingOptions } from '../../core/pricing/options.ts';
import { type EstimateFormat, estimateFormats, renderEstimate } from '../../core/pricing/render.ts';
import { asCreated, diffResources } from '../../core/terraform/diff.ts';
import { loadConfiguration } from '../../core/terraform/load.ts';
import { readPlan } from '../../core/terraform/plan.ts';
import type { ResourceChange } from '../../core/terraform/priced.ts';
import { type CliIo, readConfig } from '../context.ts';

interface EstimateOptions {
  path?: string;
  compareTo?: string;
  plan?: string;
  var: string[];
  format: string;
}

/** `ccost estimate --path infra/ [--compare-to base/infra] [--plan plan.json] [--var k=v] [--format …]`. */
export function registerEstimate(program: Command, io: CliIo): void {
  program
    .command('estimate')
    .description('price Confluent Terraform: a configuration, a change against a base, or a plan')
    .option('--path <dir>', 'Terraform configuration (head)')
    .option('--compare-to <dir>', 'base configuration to compare against (default: price everything as new)')
    .option('--plan <file>', '`terraform show -json` output to price instead of HCL')
    .option('--var <k=v>', 'set a root variable (repeatable)', collect, [])
    .option('--format <format>', estimateFormats.join('|'), 'table')
    .action(async (opts: EstimateOptions) => {
      if (!(estimateFormats as readonly string[]).includes(opts.format)) {
        throw new CcostError(
          ErrorCode.UsageError,
          `--format must be one of ${estimateFormats.join(', ')} (got "${opts.format}")`,
        );
      }
      const changes = await readChanges(opts);
      const config = readConfig(io, program.opts().config);
      const estimate = estimateChanges(changes, pricingOptions(config.pricing));
      io.stdout(renderEstimate(estimate, opts.format as EstimateFormat));
    });
}

async function readChanges(opts: EstimateOptions): Promise<ResourceChange[]> {
  if (opts.plan) {
    if (opts.compareTo)
      throw new CcostError(ErrorCode.UsageError, '--compare-to applies to --path, not to --plan');
    if (!existsSync(opts.plan)) throw new InputError(ErrorCode.InputInvalid, opts.plan, 'file not found');
    return readPlan(opts.plan, readFileSync(opts.plan, 'utf8'));
  }
  if (!opts.path) throw new CcostError(ErrorCode.UsageError, 'give --path <dir> or --plan <file>');
  const vars = parseVars(opts.var);
  const head = await loadConfiguration(opts.path, { vars });
  if (!opts.compareTo) return asCreated(head);
  const base = await loadConfiguration(opts.compareTo, { vars });
  return diffResources(base, head);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseVars(pairs: string[]): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw new CcostError(ErrorCode.UsageError, `--var expects name=value (got "${pair.slice(0, 40)}")`);
    vars[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return vars;
}
