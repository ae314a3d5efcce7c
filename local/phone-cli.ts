/**
 * `npm run call -- --to +18887999666 --from +48601234567 [--keys 2,1] ...`: call the line from a terminal.
 * Newcomers hear the menu and type keys; scripts pass `--keys` and grep the plain `SAY:` lines. The exit
 * code says whether the call went through without an HTTP error, so CI can use it as a smoke test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gatherDigits, Phone, type CallResult, type KeyAnswer, type KeysSource, type PhoneEvent } from './phone.js';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

const USAGE = `Usage: npm run call -- --to NUMBER --from NUMBER [options]

  --to NUMBER        the dialed number (a line from the data file, or the agents' line)
  --from NUMBER      the caller's number (caller ID)
  --keys 2,,40012345#  answers, one per prompt (an empty entry = silence); without it, type them
  --base URL         where the server listens (default $PUBLIC_BASE_URL or http://127.0.0.1:$PORT, PORT 3000)
  --sign-base URL    the base URL signatures cover, if not --base (the server's PUBLIC_BASE_URL)
  --token TOKEN      the Twilio auth token (default $TWILIO_AUTH_TOKEN, or the one npm start keeps in .local/port-PORT/twilio-token)
  --stir A|B|C       STIR/SHAKEN attestation of the caller ID (or a raw StirVerstat value)
  --param NAME=VALUE another Twilio request parameter (repeatable)
  --hangup           hang up at the end (status callback) even while waiting in a queue
  --stay             stay on the line after the queue or a bridged call: hold (the wait URL is followed), and
                     Ctrl-C ends it: a caller hangs up (status callback); an agent's call goes on past the bridge
  --verbose          print every webhook request and its status
`;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Keyboard input for interactive calls. */
  stdin?: Readable;
  env?: NodeJS.ProcessEnv;
  /** Where `.local/dev-token` is looked up. */
  projectRoot?: string;
  /** With --stay: resolves when the hold should end (default: the next Ctrl-C). */
  hold?: () => Promise<void>;
}

/** Resolves at the next Ctrl-C (SIGINT), which then does not kill the process. */
function ctrlC(io: CliIo): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      io.out('HOLD: on the line; Ctrl-C to hang up (or, bridged, to end the conversation)');
      process.once('SIGINT', () => resolve());
    });
}

/** Runs the CLI; resolves with the exit code (0 call ended normally, 1 HTTP or network error, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const env = io.env ?? process.env;
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        to: { type: 'string' },
        from: { type: 'string' },
        keys: { type: 'string' },
        base: { type: 'string' },
        'sign-base': { type: 'string' },
        token: { type: 'string' },
        stir: { type: 'string' },
        param: { type: 'string', multiple: true },
        hangup: { type: 'boolean' },
        stay: { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  if (!args.to || !args.from) {
    io.err(`--to and --from are required.\n\n${USAGE}`);
    return 2;
  }

  const base = args.base ?? env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${env.PORT || 3000}`;
  const token = args.token ?? env.TWILIO_AUTH_TOKEN ?? readDevToken(io.projectRoot ?? PROJECT_ROOT, portOf(base), env.LOCAL_DIR);
  if (!token) {
    io.err(
      'No Twilio auth token: pass --token TOKEN (the one `npm start` printed), set TWILIO_AUTH_TOKEN, ' +
        `or start the local server first so it writes .local/port-${portOf(base)}/twilio-token.`,
    );
    return 2;
  }

  const extra: Record<string, string> = {};
  if (args.stir) extra.StirVerstat = /^[ABC]$/i.test(args.stir) ? `TN-Validation-Passed-${args.stir.toUpperCase()}` : args.stir;
  for (const p of args.param ?? []) {
    const eq = p.indexOf('=');
    if (eq <= 0) {
      io.err(`--param needs NAME=VALUE, got "${p}"`);
      return 2;
    }
    extra[p.slice(0, eq)] = p.slice(eq + 1);
  }

  let keys: KeysSource;
  let closeInput = () => {};
  if (args.keys !== undefined) {
    const entries: KeyAnswer[] = args.keys.split(',').map((k) => (k.trim() === '' ? null : k.trim()));
    for (const k of entries) {
      try {
        gatherDigits(k);
      } catch (e) {
        io.err(`--keys: ${(e as Error).message}`);
        return 2;
      }
    }
    keys = entries;
  } else {
    const input = keyboard(io);
    keys = input.ask;
    closeInput = input.close;
  }

  const phone = new Phone({
    baseUrl: base,
    publicBaseUrl: args['sign-base'] ?? base,
    authToken: token,
    from: args.from,
    to: args.to,
    extra,
    ...(args.stay ? { hold: io.hold ?? ctrlC(io) } : {}),
    listener: {
      heard: (text) => io.out(`SAY: ${text}`),
      prompt: (prompt, attrs) => io.out(`PROMPT: ${prompt || '(none)'}${gatherHints(attrs)}`),
      gather: ({ keys: k, digits }) => io.out(k === null ? 'PRESS: (silence)' : `PRESS: ${k}${digits !== k ? ` (Digits=${digits})` : ''}`),
      request: args.verbose ? (e) => io.out(`HTTP: ${e.method} ${e.path} -> ${e.status || 'no answer'}`) : undefined,
    },
  });
  io.out(`CALL: ${phone.callSid} from ${args.from} to ${args.to} at ${base}`);

  let result: CallResult;
  try {
    result = await phone.call(keys);
  } finally {
    closeInput();
  }

  printOutcome(result, io);
  let code = result.error ? 1 : 0;
  if (result.error && /^HTTP 403\b/.test(result.error)) {
    io.err(
      'HINT: 403 means the signature was refused: use the token the server printed (--token), and if the server ' +
        'runs with PUBLIC_BASE_URL set, pass that URL as --sign-base.',
    );
  } else if (result.error && /could not reach/.test(result.error)) {
    io.err(`HINT: is the server running? Start it with \`npm start\`, or pass --base.`);
  }

  // Twilio's status callback: when the call is really over, or when the caller gives up waiting (--hangup).
  const over = result.endedBy === 'hangup' || result.endedBy === 'end-of-document' || result.endedBy === 'leave';
  if (!result.error && (over || args.hangup)) {
    const status = await phone.hangup('completed');
    io.out(`STATUS: completed -> ${describe(status)}`);
    if (status.status !== 200) code = 1;
  } else if (!result.error && (result.enqueued || result.dialed)) {
    io.out('NOTE: the caller stays on the line; run with --hangup to hang up at the end (status callback).');
  }
  return code;
}

function printOutcome(r: CallResult, io: CliIo): void {
  for (const w of r.warnings) io.out(`WARN: ${w}`);
  if (r.enqueued) {
    const q = r.enqueued;
    const attrs = Object.entries(q.attrs)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    io.out(`QUEUE: ${q.queue || '(unnamed)'}${attrs ? ` ${attrs}` : ''}`);
    if (q.task) io.out(`TASK: ${q.task.text}`);
  }
  if (r.dialed) {
    const targets = r.dialed.targets.map((t) => `${t.kind} ${t.value}${t.url ? ` (url ${t.url})` : ''}`).join(', ');
    io.out(`DIAL: ${targets || '(nothing)'}`);
  }
  if (r.error) io.out(`ERROR: ${r.error}`);
  io.out(`END: ${r.endedBy ?? 'unknown'}`);
}

/** What the caller would have to know to answer: how many keys, how to finish. */
function gatherHints(attrs: Readonly<Record<string, string>>): string {
  const finish = attrs.finishOnKey ?? '#';
  const hints = [attrs.numDigits ? `${attrs.numDigits} key${attrs.numDigits === '1' ? '' : 's'}` : '', finish ? `end with ${finish}` : '']
    .filter(Boolean)
    .join(', ');
  return hints ? ` [${hints}]` : '';
}

function describe(e: PhoneEvent): string {
  return e.status ? String(e.status) : e.body;
}

/** The port a base URL points at (its default port when it names none). */
function portOf(base: string): number {
  try {
    const u = new URL(base);
    return Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  } catch {
    return 3000;
  }
}

/**
 * The dev token the local server on `port` keeps (`.local/port-PORT/twilio-token`); the single
 * `.local/dev-token` of older versions is still read when there is none (plain text, or JSON with a token field).
 */
export function readDevToken(projectRoot: string, port = 3000, localDir?: string): string | undefined {
  const dir = localDir || join(projectRoot, '.local');
  const perPort = join(dir, `port-${port}`, 'twilio-token');
  const file = existsSync(perPort) ? perPort : join(dir, 'dev-token');
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8').trim();
  if (text.startsWith('{')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      const t = json.twilioAuthToken ?? json.TWILIO_AUTH_TOKEN ?? json.authToken ?? json.token;
      return typeof t === 'string' && t ? t : undefined;
    } catch {
      return undefined;
    }
  }
  return text || undefined;
}

/**
 * Reads one line of keys per prompt. Lines are consumed through the async iterator so that keys piped in
 * ahead of time are buffered, not lost; end of input is silence from then on.
 */
function keyboard(io: CliIo): { ask: () => Promise<KeyAnswer>; close: () => void } {
  const rl = createInterface({ input: io.stdin ?? process.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  let ended = false;
  let hinted = false;
  const ask = async (): Promise<KeyAnswer> => {
    for (;;) {
      if (ended) return null;
      io.out(hinted ? 'KEYS>' : 'KEYS> (type keys and Enter; an empty line = silence)');
      hinted = true;
      const next = await lines.next();
      if (next.done) {
        ended = true;
        return null;
      }
      const k = next.value.trim();
      if (!k) return null;
      try {
        gatherDigits(k);
        return k;
      } catch (e) {
        io.err((e as Error).message);
      }
    }
  };
  return { ask, close: () => rl.close() };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runCli(process.argv.slice(2), {
    out: (l) => process.stdout.write(l + '\n'),
    err: (l) => process.stderr.write(l + '\n'),
  });
  process.exitCode = code;
}
