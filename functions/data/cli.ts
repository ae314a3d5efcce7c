/**
 * The operator's data commands (`npm run data:check | data:load | data:schema | data:import-lines`).
 * The logic lives here as functions of (argv, io, env) returning an exit code, and the scripts only
 * wire them to the process, so tests run the real commands in-process against the embedded DynamoDB.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { importLines } from './import-lines.js';
import { JSON_SCHEMA_PATH, renderSupportDataJsonSchema } from './json-schema.js';
import { validateSupportData, type ValidationResult } from './validate.js';
import { dataWarnings } from './warnings.js';
import { hashPin, verifyPin } from '../adapters/crypto/pin-hash.js';

/** Where a command writes: one call per line, without the newline. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Standard input, for commands that read a table piped or pasted in (`-` or no file). */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** `--help`/`-h` anywhere: print the usage on stdout and succeed. */
const wantsHelp = (argv: string[]) => argv.includes('--help') || argv.includes('-h');

/** A wrong invocation: one usage line on stderr (with the reason after it), exit code 1; never a stack trace. */
function usageError(io: CliIo, usage: string, reason?: string): number {
  const [first, ...more] = usage.split('\n');
  io.err([`${first}${reason ? `   <- ${reason}` : ''}`, ...more].join('\n'));
  return 1;
}

export type CliEnv = Record<string, string | undefined>;

export type CliCommand = (argv: string[], io: CliIo, env: CliEnv) => Promise<number>;

/** Runs a command as the process: real stdout/stderr, `process.env`, and its result as the exit code. */
export async function runCli(command: CliCommand): Promise<void> {
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    stdin: process.stdin,
  };
  try {
    process.exitCode = await command(process.argv.slice(2), io, process.env);
  } catch (error) {
    io.err(`error: ${(error as Error).message ?? String(error)}`);
    process.exitCode = 1;
  }
}

/** Reads and parses a JSON file, with a message that says which of the two failed and where. */
export async function readJsonFile(path: string): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    return { ok: false, message: `cannot read ${path}: ${why}` };
  }
  try {
    // A BOM from Windows editors is not a JSON error the operator could see or fix.
    return { ok: true, value: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch (error) {
    return { ok: false, message: `${path} is not valid JSON: ${(error as Error).message}` };
  }
}

type Valid = Extract<ValidationResult, { ok: true }>;

/** Reads and validates a data file, reporting problems on `io.err`; the data and its warnings when it is valid. */
async function readValid(path: string, io: CliIo): Promise<Valid | undefined> {
  const read = await readJsonFile(path);
  if (!read.ok) {
    io.err(read.message);
    return undefined;
  }
  const result = validateSupportData(read.value);
  if (!result.ok) {
    for (const problem of result.problems) io.err(`${problem.path}: ${problem.message}`);
    io.err(`${path}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`);
    return undefined;
  }
  return result;
}

const printWarnings = (io: CliIo, warnings: ReadonlyArray<{ path: string; message: string }>) => {
  for (const w of warnings) io.err(`warning: ${w.path}: ${w.message}`);
};

const summary = (data: { lines: unknown[]; organizations: unknown[]; agents: { people: unknown[] } }) =>
  `${data.lines.length} lines, ${data.organizations.length} organizations, ${data.agents.people.length} agents`;

const CHECK_USAGE = 'usage: npm run data:check -- FILE [--strict]   (validates a data file; --strict also fails on warnings)';

/**
 * `data:check FILE [--strict]`: exit 0 with "ok: …" when the file is valid, else 1 with every problem.
 * Warnings (queues no agent serves, roles no plan allows, PINs in clear, languages without a catalog)
 * follow the ok line; `--strict` makes them fail the check too.
 */
export const dataCheck: CliCommand = async (argv, io) => {
  if (wantsHelp(argv)) return (void io.out(CHECK_USAGE), 0);
  const strict = argv.includes('--strict');
  const rest = argv.filter((a) => a !== '--strict');
  const unknown = rest.find((a) => a.startsWith('-'));
  if (unknown) return usageError(io, CHECK_USAGE, `unknown option ${unknown}`);
  const [path, ...extra] = rest;
  if (!path || extra.length > 0) return usageError(io, CHECK_USAGE, path ? 'give one data file' : 'which data file?');
  const valid = await readValid(path, io);
  if (!valid) return 1;
  io.out(`ok: ${summary(valid.data)}`);
  // The validator's own warnings (a language without prompts) and the operator checks, counted together.
  const warnings = [...valid.warnings, ...dataWarnings(valid.data)];
  printWarnings(io, warnings);
  if (warnings.length) io.err(`${warnings.length} warning${warnings.length === 1 ? '' : 's'}${strict ? ' (--strict: failing)' : ''}`);
  return strict && warnings.length ? 1 : 0;
};

/**
 * `data:load FILE`: validates, then loads into the directory table named by the environment. A file
 * with any problem writes nothing; a valid one goes live as a whole (see `loadDirectory`).
 */
const LOAD_USAGE = 'usage: npm run data:load -- FILE   (env: TABLE_DIRECTORY, AWS_REGION, DYNAMODB_ENDPOINT)';

export const dataLoad: CliCommand = async (argv, io, env) => {
  if (wantsHelp(argv)) return (void io.out(LOAD_USAGE), 0);
  const [path, ...extra] = argv;
  if (!path || extra.length > 0 || path.startsWith('-')) return usageError(io, LOAD_USAGE, path?.startsWith('-') ? `unknown option ${path}` : undefined);
  const valid = await readValid(path, io);
  if (!valid) {
    io.err('nothing was loaded');
    return 1;
  }
  printWarnings(io, valid.warnings);
  const { data } = valid;
  const table = env.TABLE_DIRECTORY || 'support-directory';
  const endpoint = env.DYNAMODB_ENDPOINT || undefined;
  // Loaded only by a load that gets this far: `--help`, a bad argument or a bad file need no AWS SDK.
  const [{ DynamoDBClient }, { loadDirectory }] = await Promise.all([import('@aws-sdk/client-dynamodb'), import('../adapters/dynamodb/directory.js')]);
  const client = new DynamoDBClient({
    region: env.AWS_REGION || 'us-east-1',
    endpoint,
    // A local endpoint accepts any signature; do not make operators invent AWS credentials for it.
    ...(endpoint && !env.AWS_ACCESS_KEY_ID ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  try {
    // Progress once a second, and only for a load slow enough to need it: a quick load stays quiet.
    let shown = Date.now();
    const result = await loadDirectory(client, table, data, {
      onProgress: (written, total) => {
        if (Date.now() - shown < 1_000) return;
        shown = Date.now();
        io.err(`loading ${written}/${total} directory items (${Math.floor((written * 100) / total)} %)`);
      },
    });
    io.out(`loaded ${path} into ${table}: ${summary(data)}; generation ${result.generation}`);
    if (result.previous !== undefined) io.out(`replaced generation ${result.previous}; deleted ${result.deleted} old items`);
    for (const problem of result.cleanupErrors) io.err(`warning: old data not fully deleted (the next load retries): ${problem}`);
    return 0;
  } catch (error) {
    io.err(`cannot load into ${table}${endpoint ? ` at ${endpoint}` : ''}: ${(error as Error).message ?? String(error)}`);
    return 1;
  } finally {
    client.destroy();
  }
};

/** Project root, for files the commands write at fixed places. */
const projectRoot = () => fileURLToPath(new URL('../../', import.meta.url));

/** `data:schema [--check]`: writes the editors' JSON Schema, or with --check fails when it is stale. */
const SCHEMA_USAGE = 'usage: npm run data:schema [-- --check]   (writes schema/support-data.schema.json; --check fails when it is stale)';

export const dataSchema: CliCommand = async (argv, io) => {
  if (wantsHelp(argv)) return (void io.out(SCHEMA_USAGE), 0);
  const check = argv.includes('--check');
  if (argv.some((arg) => arg !== '--check')) return usageError(io, SCHEMA_USAGE, `unknown argument ${argv.find((a) => a !== '--check')}`);
  const path = `${projectRoot()}${JSON_SCHEMA_PATH}`;
  const fresh = renderSupportDataJsonSchema();
  if (check) {
    const current = await readFile(path, 'utf8').catch(() => undefined);
    if (current === fresh) {
      io.out(`${JSON_SCHEMA_PATH} is up to date`);
      return 0;
    }
    io.err(`${JSON_SCHEMA_PATH} is stale: run npm run data:schema`);
    return 1;
  }
  await writeFile(path, fresh);
  io.out(`wrote ${JSON_SCHEMA_PATH}`);
  return 0;
};

/**
 * `data:import-lines FILE [--scheme ID] [--service ID] [--label TEXT]`: prints the lines converted from
 * a published numbers table as a JSON array on stdout, and on stderr every number it could not convert
 * and why. Exit 0 when at least one number converted.
 */
const IMPORT_USAGE =
  'usage: npm run data:import-lines -- [FILE | -] [--scheme p1-p4] [--service technical] [--label TEXT]\n' +
  '  FILE: a numbers table as published (pipes, tabs, CSV or pasted text: country, then number); - or none: read stdin';

export const importLinesCommand: CliCommand = async (argv, io) => {
  if (wantsHelp(argv)) return (void io.out(IMPORT_USAGE), 0);
  const options: { scheme?: string; service?: string; labelPrefix?: string } = {};
  const files: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const value = argv[i + 1];
    if (arg === '--scheme' || arg === '--service' || arg === '--label') {
      if (value === undefined) return usageError(io, IMPORT_USAGE, `${arg} needs a value`);
      options[arg === '--label' ? 'labelPrefix' : arg === '--scheme' ? 'scheme' : 'service'] = value;
      i += 1;
    } else if (arg.startsWith('-') && arg !== '-') {
      return usageError(io, IMPORT_USAGE, `unknown option ${arg}`);
    } else {
      files.push(arg);
    }
  }
  if (files.length > 1) return usageError(io, IMPORT_USAGE, 'give one file (or - for stdin)');
  const path = files[0] ?? '-';
  let table: string;
  if (path === '-') {
    if (!io.stdin || io.stdin.isTTY) return usageError(io, IMPORT_USAGE, 'no file given and nothing piped in');
    table = await readAll(io.stdin);
  } else {
    try {
      table = await readFile(path, 'utf8');
    } catch (error) {
      io.err(`cannot read ${path}: ${(error as { code?: string }).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
      return 1;
    }
  }
  const result = importLines(table, options);
  for (const rejected of result.rejected) {
    io.err(`row ${rejected.row} (${rejected.country}) "${rejected.published}": not converted: ${rejected.reason}`);
  }
  for (const note of result.notes) io.err(`row ${note.row} "${note.published}" → ${note.number}: note: ${note.note}`);
  io.out(JSON.stringify(result.lines, null, 2));
  io.err(`${result.lines.length} converted, ${result.rejected.length} not converted`);
  return result.lines.length > 0 ? 0 : 1;
};

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

const PIN_USAGE = 'usage: npm run pin:hash -- PIN   (6 to 8 digits; prints the salted scrypt hash to put in the data file as "pinHash")';

/**
 * `pin:hash PIN`: the `pinHash` for an agent's PIN, in the format the agents' line verifies. The PIN is
 * checked against the hash before it is printed, so what goes into the data file is known to work.
 */
export const pinHashCommand: CliCommand = async (argv, io) => {
  if (wantsHelp(argv)) return (void io.out(PIN_USAGE), 0);
  if (argv.length !== 1) return usageError(io, PIN_USAGE, argv.length ? 'give one PIN' : 'which PIN?');
  const pin = argv[0]!;
  if (!/^\d{6,8}$/.test(pin)) return usageError(io, PIN_USAGE, /^\d{4,5}$/.test(pin) ? 'a PIN needs at least 6 digits' : 'a PIN is 6 to 8 digits');
  const hash = await hashPin(pin);
  if (!(await verifyPin(pin, hash))) throw new Error('the new hash does not verify');
  io.out(hash);
  return 0;
};
