/**
 * The operator's data commands (`npm run data:check | data:load | data:schema | data:import-lines`).
 * The logic lives here as functions of (argv, io, env) returning an exit code, and the scripts only
 * wire them to the process, so tests run the real commands in-process against the embedded DynamoDB.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadDirectory } from '../adapters/dynamodb/directory.js';
import { importLines } from './import-lines.js';
import { JSON_SCHEMA_PATH, renderSupportDataJsonSchema } from './json-schema.js';
import { validateSupportData, type ValidationResult } from './validate.js';

/** Where a command writes: one call per line, without the newline. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export type CliEnv = Record<string, string | undefined>;

export type CliCommand = (argv: string[], io: CliIo, env: CliEnv) => Promise<number>;

/** Runs a command as the process: real stdout/stderr, `process.env`, and its result as the exit code. */
export async function runCli(command: CliCommand): Promise<void> {
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
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

/** Reads and validates a data file, reporting problems on `io.err`; the data when it is valid. */
async function readValid(path: string, io: CliIo): Promise<Extract<ValidationResult, { ok: true }>['data'] | undefined> {
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
  for (const warning of result.warnings) io.err(`warning: ${warning.path}: ${warning.message}`);
  return result.data;
}

const summary = (data: { lines: unknown[]; organizations: unknown[]; agents: { people: unknown[] } }) =>
  `${data.lines.length} lines, ${data.organizations.length} organizations, ${data.agents.people.length} agents`;

/** `data:check FILE`: exit 0 with "ok: …" when the file is valid, else 1 with every problem. */
export const dataCheck: CliCommand = async (argv, io) => {
  const [path, ...extra] = argv;
  if (!path || extra.length > 0) {
    io.err('usage: npm run data:check -- FILE');
    return 1;
  }
  const data = await readValid(path, io);
  if (!data) return 1;
  io.out(`ok: ${summary(data)}`);
  return 0;
};

/**
 * `data:load FILE`: validates, then loads into the directory table named by the environment. A file
 * with any problem writes nothing; a valid one goes live as a whole (see `loadDirectory`).
 */
export const dataLoad: CliCommand = async (argv, io, env) => {
  const [path, ...extra] = argv;
  if (!path || extra.length > 0) {
    io.err('usage: npm run data:load -- FILE   (env: TABLE_DIRECTORY, AWS_REGION, DYNAMODB_ENDPOINT)');
    return 1;
  }
  const data = await readValid(path, io);
  if (!data) {
    io.err('nothing was loaded');
    return 1;
  }
  const table = env.TABLE_DIRECTORY || 'support-directory';
  const endpoint = env.DYNAMODB_ENDPOINT || undefined;
  const client = new DynamoDBClient({
    region: env.AWS_REGION || 'us-east-1',
    endpoint,
    // A local endpoint accepts any signature; do not make operators invent AWS credentials for it.
    ...(endpoint && !env.AWS_ACCESS_KEY_ID ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  try {
    const result = await loadDirectory(client, table, data);
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
export const dataSchema: CliCommand = async (argv, io) => {
  const check = argv.includes('--check');
  if (argv.some((arg) => arg !== '--check')) {
    io.err('usage: npm run data:schema [-- --check]');
    return 1;
  }
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
export const importLinesCommand: CliCommand = async (argv, io) => {
  const options: { scheme?: string; service?: string; labelPrefix?: string } = {};
  const files: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const value = argv[i + 1];
    if (arg === '--scheme' || arg === '--service' || arg === '--label') {
      if (value === undefined) {
        io.err(`${arg} needs a value`);
        return 1;
      }
      options[arg === '--label' ? 'labelPrefix' : arg === '--scheme' ? 'scheme' : 'service'] = value;
      i += 1;
    } else {
      files.push(arg);
    }
  }
  if (files.length !== 1) {
    io.err('usage: npm run data:import-lines -- FILE [--scheme p1-p4] [--service technical] [--label TEXT]');
    return 1;
  }
  const path = files[0]!;
  let table: string;
  try {
    table = await readFile(path, 'utf8');
  } catch (error) {
    io.err(`cannot read ${path}: ${(error as { code?: string }).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
    return 1;
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
