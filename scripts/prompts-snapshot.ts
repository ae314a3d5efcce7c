/** `npm run prompts:snapshot`: writes docs/prompts/<catalog>.md (every prompt per language); `-- --check` only compares. */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promptDocs } from './prompt-docs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (args.some((a) => a !== '--check')) {
  process.stderr.write('usage: npm run prompts:snapshot [-- --check]\n');
  process.exit(2);
}
const check = args.includes('--check');
let stale = 0;
for (const [path, text] of Object.entries(promptDocs())) {
  const file = join(root, path);
  const old = await readFile(file, 'utf8').catch(() => undefined);
  if (old === text) continue;
  stale++;
  if (check) {
    process.stderr.write(`out of date: ${path}\n`);
    continue;
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  process.stdout.write(`wrote ${path}\n`);
}
if (check && stale) {
  process.stderr.write('run: npm run prompts:snapshot\n');
  process.exit(1);
}
process.stdout.write(stale ? '' : 'prompt snapshots are up to date\n');
