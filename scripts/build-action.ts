/**
 * Bundles the GitHub Action (src/action/index.ts) into `dist/index.js`: one ESM file for Node 20+
 * (the action runs on node24), with hcl2json's WebAssembly parser copied next to it as
 * `main.wasm.gz`. The build is deterministic (paths relative to the repository, no timestamps),
 * so `test/action/dist.test.ts` can rebuild into a temp dir and compare bytes with the committed
 * dist/. Run with `npm run build:action`.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Modules the action must never bundle: storage, charts, the bot and the CLI. */
export const FORBIDDEN_INPUTS = [
  'node_modules/@electric-sql/pglite',
  'node_modules/@napi-rs/canvas',
  'node_modules/chart.js',
  'node_modules/postgres/',
  'node_modules/@slack/',
  'src/bot/',
  'src/cli/',
  'src/server/',
  'src/core/storage/',
];

const BANNER = [
  "import { createRequire as __ccostCreateRequire } from 'node:module';",
  "import { dirname as __ccostDirname } from 'node:path';",
  "import { fileURLToPath as __ccostFileURLToPath } from 'node:url';",
  'const require = __ccostCreateRequire(import.meta.url);',
  'const __ccost_dist_dir = __ccostDirname(__ccostFileURLToPath(import.meta.url));',
].join('\n');

/** hcl2json reads `../main.wasm.gz` relative to its own lib/ folder; the bundle reads it beside itself. */
const WASM_LOOKUP = '(0, path_1.join)(__dirname, "..", "main.wasm.gz")';

const hcl2jsonWasm: Plugin = {
  name: 'hcl2json-wasm',
  setup(b) {
    b.onLoad({ filter: /@cdktf[\\/]hcl2json[\\/]lib[\\/]bridge\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(WASM_LOOKUP)) {
        return {
          errors: [
            { text: `hcl2json's bridge.js no longer reads ${WASM_LOOKUP}: update scripts/build-action.ts` },
          ],
        };
      }
      return {
        contents: source.replace(WASM_LOOKUP, '(0, path_1.join)(__ccost_dist_dir, "main.wasm.gz")'),
        loader: 'js',
      };
    });
  },
};

/**
 * `@actions/core` imports `@actions/http-client` (and its own undici 6) only for `getIDToken`
 * (OIDC), which the action never calls: a stub that throws keeps ~0.8 MB out of the bundle.
 */
const noHttpClient: Plugin = {
  name: 'no-actions-http-client',
  setup(b) {
    b.onResolve({ filter: /^@actions\/http-client(\/.*)?$/ }, (args) => ({
      path: args.path,
      namespace: 'stub',
    }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents: [
        'const unavailable = () => { throw new Error("@actions/http-client is not bundled in the ccost action (no OIDC)"); };',
        'export class HttpClient { constructor() { unavailable(); } }',
        'export class BearerCredentialHandler { constructor() { unavailable(); } }',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

/** What a build produced. */
export interface BuildResult {
  /** Files written, relative to `outdir`. */
  files: string[];
  /** Every bundled source file, relative to the repository. */
  inputs: string[];
}

/**
 * Builds the action into `outdir`: `index.js`, `main.wasm.gz` and a `package.json` that marks the
 * folder as ESM.
 *
 * @param outdir - target folder (created)
 * @returns the files written and the bundled inputs
 * @throws Error when a forbidden module (storage, charts, bot, CLI) ends up in the bundle
 */
export async function buildAction(outdir: string): Promise<BuildResult> {
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['src/action/index.ts'],
    outfile: path.join(outdir, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: BANNER },
    // Only reached on runtimes without globalThis.performance (none we support).
    external: ['performance'],
    plugins: [hcl2jsonWasm, noHttpClient],
    metafile: true,
    legalComments: 'eof',
    charset: 'utf8',
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs).sort();
  const forbidden = inputs.filter((i) => FORBIDDEN_INPUTS.some((f) => i.includes(f)));
  if (forbidden.length > 0) throw new Error(`the action bundle must not include ${forbidden.join(', ')}`);
  copyFileSync(
    path.join(ROOT, 'node_modules/@cdktf/hcl2json/main.wasm.gz'),
    path.join(outdir, 'main.wasm.gz'),
  );
  writeFileSync(
    path.join(outdir, 'package.json'),
    `${JSON.stringify({ type: 'module', private: true }, null, 2)}\n`,
  );
  return { files: ['index.js', 'main.wasm.gz', 'package.json'], inputs };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = path.resolve(process.argv[2] ?? path.join(ROOT, 'dist'));
  const { inputs } = await buildAction(outdir);
  console.log(`built ${path.relative(process.cwd(), outdir) || '.'}/index.js from ${inputs.length} modules`);
}
