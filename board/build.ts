/**
 * Builds the board's page: `board/src/main.ts` bundled and minified by esbuild, beside the HTML and CSS.
 * The local server builds it in memory at start (`npm start`), `npm run build:board` writes `board/dist/`
 * for a static host, and the CDK construct builds it at synth for S3: one build, three users.
 */
import { build, buildSync, type BuildOptions } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BOARD_DIR = dirname(fileURLToPath(import.meta.url));

export interface BoardFiles {
  'index.html': string;
  'board.js': string;
  'board.css': string;
}

const OPTIONS: BuildOptions & { write: false } = {
  entryPoints: [join(BOARD_DIR, 'src', 'main.ts')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  write: false,
  legalComments: 'none',
  logLevel: 'silent',
};

const files = (js: string): BoardFiles => ({
  'index.html': readFileSync(join(BOARD_DIR, 'index.html'), 'utf8'),
  'board.js': js,
  'board.css': readFileSync(join(BOARD_DIR, 'board.css'), 'utf8'),
});

export async function buildBoard(): Promise<BoardFiles> {
  return files((await build(OPTIONS)).outputFiles[0]!.text);
}

/** The same build, synchronously, for CDK synthesis (constructs are built synchronously). */
export function buildBoardSync(): BoardFiles {
  return files(buildSync(OPTIONS).outputFiles[0]!.text);
}

/** Writes the page's files under `dir/board/` (the path it is served at) and `config.json` for its sign-in. */
export async function writeBoard(dir: string, config: Record<string, unknown> = { auth: 'token' }): Promise<string[]> {
  const files = await buildBoard();
  const target = join(dir, 'board');
  mkdirSync(target, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of Object.entries({ ...files, 'config.json': JSON.stringify(config) })) {
    writeFileSync(join(target, name), text);
    written.push(join(target, name));
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? join(BOARD_DIR, 'dist');
  const files = await writeBoard(dir);
  for (const f of files) console.log(`wrote ${f}`);
}
