/**
 * The faults and attacks the test suite puts the line through, one row per fault and step, with what the
 * tests assert. docs/benchmarks.md and docs/faults-and-abuse.md carry the table rendered from here
 * (bench/report.ts writes it); test/faults/matrix.test.ts checks that each row names a test that exists
 * and that the docs carry exactly this table, so neither can drift from the tests.
 */

export interface FaultRow {
  fault: string;
  step: string;
  heard: string;
  /** Tickets of each call the test counts, once DynamoDB is back and the spool replayed. */
  tickets: string;
  /** Confirmations and pages the test counts. */
  messages: string;
  late: string;
  /** Test file and a part of the test's title. */
  test: string;
  it: string;
}

export interface AttackRow {
  attack: string;
  test: string;
  it: string;
}

const NONE_LATE = 'none';
const NOT_COUNTED = 'not counted';

export const FAULTS: FaultRow[] = [
  {
    fault: 'DynamoDB hangs (connection black-holed)',
    step: 'priority',
    heard: 'a spooled reference in under 1.8 s',
    tickets: '1',
    messages: NOT_COUNTED,
    late: 'none 2 s after DynamoDB answers again',
    test: 'test/faults/hang-budget.test.ts',
    it: 'each caller hears a spooled reference within 3 s',
  },
  {
    fault: 'DynamoDB stopped',
    step: 'menu, code, priority',
    heard: 'a reference at the priority step, "call again" before it, all within 3 s',
    tickets: '1 (0 for callers before the priority step)',
    messages: NOT_COUNTED,
    late: NONE_LATE,
    test: 'test/faults/dynamo-outage.test.ts',
    it: 'speaks to every caller within 3 s',
  },
  {
    fault: 'DynamoDB throttling',
    step: 'menu, code, priority',
    heard: 'as stopped',
    tickets: '1 (0 before the priority step)',
    messages: NOT_COUNTED,
    late: NONE_LATE,
    test: 'test/faults/dynamo-outage.test.ts',
    it: 'speaks to every caller within 3 s',
  },
  {
    fault: 'DynamoDB refusing connections',
    step: 'menu, code, priority',
    heard: 'as stopped',
    tickets: '1 (0 before the priority step)',
    messages: NOT_COUNTED,
    late: NONE_LATE,
    test: 'test/faults/dynamo-outage.test.ts',
    it: 'speaks to every caller within 3 s',
  },
  {
    fault: 'DynamoDB refusing writes only',
    step: 'priority',
    heard: 'a reference',
    tickets: '1',
    messages: NOT_COUNTED,
    late: NONE_LATE,
    test: 'test/faults/dynamo-outage.test.ts',
    it: 'spools the ticket and reads out its reference',
  },
  {
    fault: 'DynamoDB refusing; Twilio retries the step 5 times during the outage and once after',
    step: 'priority',
    heard: 'the same reference 6 times, with "A confirmation to your organization will follow shortly"; after recovery that number, queued',
    tickets: '1 (waiting, found by the API under the reference)',
    messages: '1 confirmation',
    late: NONE_LATE,
    test: 'test/faults/notice-queue.test.ts',
    it: '5 retries during the outage',
  },
  {
    fault: "DynamoDB refusing; Twilio's retry reaches DynamoDB before the spool replay",
    step: 'priority',
    heard: "a reference, then the retry's ticket number",
    tickets: '1 (the reference noted on it)',
    messages: '1 confirmation',
    late: NONE_LATE,
    test: 'test/faults/notice-queue.test.ts',
    it: 'a retry that reaches DynamoDB before the replay',
  },
  {
    fault: 'DynamoDB throttling, then the server restarts',
    step: 'priority (P1)',
    heard: 'a reference, "a confirmation will follow"',
    tickets: '1',
    messages: '1 confirmation, 1 page',
    late: NONE_LATE,
    test: 'test/faults/notice-queue.test.ts',
    it: 'survive the restart',
  },
  {
    fault: 'Server restart between the menu and the priority step',
    step: 'priority',
    heard: 'the ticket number, "Details follow by text"',
    tickets: '1',
    messages: '1 confirmation',
    late: NONE_LATE,
    test: 'test/faults/notice-queue.test.ts',
    it: 'a restart between the menu and the priority step',
  },
  {
    fault: 'DynamoDB stopped, local server (spool and notice files, timers)',
    step: 'priority',
    heard: 'a reference, "a confirmation will follow"',
    tickets: '1',
    messages: '1 confirmation',
    late: NONE_LATE,
    test: 'test/faults/local-spool.test.ts',
    it: 'keeps the reference a caller heard during an outage',
  },
  {
    fault: 'Outbox disk full (ENOSPC)',
    step: 'priority (P1)',
    heard: 'the ticket number, "Details follow by text" (kept in the notice queue)',
    tickets: '1',
    messages: '1 confirmation, 1 page, once the disk has room',
    late: NONE_LATE,
    test: 'test/faults/notice-queue.test.ts',
    it: 'wait in the notice queue',
  },
  {
    fault: 'Outbox and notice queue both on a full disk',
    step: 'priority (P1)',
    heard: '"We could not send a confirmation to your organization"',
    tickets: '1',
    messages: '0; the page is logged as lost (error) and counted (PageLost, alarmed)',
    late: NONE_LATE,
    test: 'test/faults/notice-queue.test.ts',
    it: 'with the notice queue on the full disk too',
  },
  {
    fault: 'Outbox disk full, no notice queue configured',
    step: 'priority (P1)',
    heard: '"We could not send a confirmation to your organization"',
    tickets: '1',
    messages: '0; "page lost" logged as an error',
    late: NOT_COUNTED,
    test: 'test/faults/outbox-full.test.ts',
    it: 'the ticket is opened and read out',
  },
  {
    fault: 'SNS refusing the confirmation (AWS: SQS FIFO notice queue, notice-replay Lambda)',
    step: 'priority',
    heard: 'the ticket number, "Details follow by text"',
    tickets: NOT_COUNTED,
    messages: '1 SQS message under `confirm#<CallSid>`; the consumer publishes it; another copy is dropped',
    late: NOT_COUNTED,
    test: 'test/faults/notice-queue-sqs.test.ts',
    it: 'SNS refuses the confirmation',
  },
  {
    fault: 'SNS and SQS refusing',
    step: 'priority',
    heard: '"We could not send a confirmation to your organization"',
    tickets: NOT_COUNTED,
    messages: '0 (one SendMessage tried)',
    late: NOT_COUNTED,
    test: 'test/faults/notice-queue-sqs.test.ts',
    it: 'SNS and SQS both refuse',
  },
  {
    fault: 'DynamoDB refusing; 3 Twilio retries (AWS: SQS FIFO)',
    step: 'priority',
    heard: 'the same reference 4 times, "a confirmation will follow"',
    tickets: '1',
    messages: '4 SQS copies under one deduplication id; 1 confirmation published',
    late: NOT_COUNTED,
    test: 'test/faults/notice-queue-sqs.test.ts',
    it: 'DynamoDB refusing while Twilio retries the priority step 3 times',
  },
  {
    fault: 'DynamoDB throttling',
    step: 'callback (waiting caller presses 1)',
    heard: '"Sorry, we cannot take a call back request now", still waiting; pressing 1 again keeps the call back',
    tickets: '1 (callback)',
    messages: '1 confirmation',
    late: NONE_LATE,
    test: 'test/faults/notice-queue.test.ts',
    it: 'throttled: the caller is told the call back cannot be taken now',
  },
  {
    fault: 'Server restart',
    step: 'callback (waiting caller presses 1)',
    heard: '"We will call you back about ticket …"',
    tickets: '1 (callback)',
    messages: '1 confirmation',
    late: NONE_LATE,
    test: 'test/faults/notice-queue.test.ts',
    it: 'after a server restart',
  },
  {
    fault: 'SNS refusing',
    step: 'code',
    heard: 'told, and the code by email instead',
    tickets: '1',
    messages: 'exact SNS and SES commands',
    late: NOT_COUNTED,
    test: 'test/faults/notifier-failures.test.ts',
    it: 'SNS refuses the code',
  },
  {
    fault: 'SES refusing',
    step: 'code',
    heard: 'the code by text instead',
    tickets: NOT_COUNTED,
    messages: 'exact SNS and SES commands',
    late: NOT_COUNTED,
    test: 'test/faults/notifier-failures.test.ts',
    it: 'SES refuses the code',
  },
  {
    fault: 'SNS and SES refusing',
    step: 'code',
    heard: '"call again", politely',
    tickets: '0',
    messages: '0',
    late: NOT_COUNTED,
    test: 'test/faults/notifier-failures.test.ts',
    it: 'both refuse',
  },
];

export const ATTACKS: AttackRow[] = [
  {
    attack: '12 wrong account numbers from one number over 4 calls',
    test: 'test/abuse/identification-limits.test.ts',
    it: 'the 11th wrong number ends the call',
  },
  { attack: '30 calls from one number guessing at once', test: 'test/abuse/identification-limits.test.ts', it: '30 calls guessing at once' },
  { attack: 'a right account number typed 20 times', test: 'test/abuse/identification-limits.test.ts', it: 'a right account number does not count' },
  { attack: '3 code requests from one number for one organization', test: 'test/abuse/identification-limits.test.ts', it: 'a stranger cannot spend' },
  {
    attack: '12 calls from one number asking for a code at once',
    test: 'test/abuse/identification-limits.test.ts',
    it: '12 calls from one number asking at once',
  },
  { attack: '10 wrong codes in a row against one organization', test: 'test/abuse/identification-limits.test.ts', it: 'the 10th wrong entry in a row pauses' },
  { attack: '9 wrong, 1 right, 9 wrong codes', test: 'test/abuse/identification-limits.test.ts', it: 'a right code ends the run' },
  { attack: '40 simultaneous guesses at the adapter', test: 'test/adapters/dynamodb/limit-store.test.ts', it: 'holds under 40 concurrent attempts' },
  { attack: '12 simultaneous wrong codes at the cap', test: 'test/adapters/dynamodb/limit-store.test.ts', it: 'pauses at the cap, once under concurrency' },
];

/** Tickets the fault tests found missing: every row asserts its calls' tickets exist (or, before the ticket step, were never promised). */
export const TICKETS_LOST = 0;

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The markdown table, as the docs carry it. */
export function faultTable(): string {
  const lines = [
    `Faults survived: **${FAULTS.length}** (fault × step), attacks tried: **${ATTACKS.length}**, tickets lost: **${TICKETS_LOST}**.`,
    '',
    '| fault | step | what the caller heard | tickets per call | confirmations and pages sent | written late | test |',
    '|---|---|---|---|---|---|---|',
    ...FAULTS.map((r) => `| ${[r.fault, r.step, r.heard, r.tickets, r.messages, r.late, `\`${r.test}\``].map(cell).join(' | ')} |`),
  ];
  return lines.join('\n');
}
