/**
 * TaskRouter mode, checked against Twilio's documented shapes:
 *  - caller side: `<Enqueue workflowSid="WW…" waitUrl action><Task priority="N">{JSON attributes}</Task></Enqueue>`
 *    (no queue name: the workflow picks the TaskQueue);
 *  - assignment callback: a signed form POST answered with JSON (`application/json`), here the `call`
 *    instruction `{ instruction, to: <worker contact_uri>, from: <our number>, url }`, or `reject`;
 *  - the `url` step on the worker's leg: the whisper, then `<Dial><Queue reservationSid="WR…" url=…/></Dial>`.
 */
import { digitGroups } from '../../functions/domain/agent-life.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskRouterPriority } from '../../functions/app/caller-flow/index.js';
import { childElements, textOf } from '../../local/twiml-parse.js';
import {
  LINE,
  AGENTS_LINE,
  BASE_URL,
  newCallSid,
  queueOf,
  relative,
  startAgentHarness,
  WORKFLOW,
  WORKSPACE,
  type AgentHarness,
  type Answer,
} from './agent-support.js';

/** Contract v2 §2.6/§2.10: a 7-digit ticket number is read once, in two short groups (3 then 4 digits). */
const _grouped = (n: unknown): string => {
  const s = String(n);
  if (!/^\d{7}$/.test(s)) throw new Error(`expected a 7-digit ticket number, got ${s}`);
  return `${s.slice(0, 3).split('').join(' ')}, ${s.slice(3).split('').join(' ')}`;
};

let h: AgentHarness;
beforeAll(async () => {
  h = await startAgentHarness({ env: { TASKROUTER_WORKSPACE_SID: WORKSPACE, TASKROUTER_WORKFLOW_SID: WORKFLOW } });
});
afterAll(async () => {
  await h?.stop();
});

const RESERVATION = 'WR' + '1'.repeat(32);
const ADA = '+48601234567';

/** A registered Contoso admin calls, picks technical support and P1: the answer that enqueues them. */
async function callerEnqueues(): Promise<{ answer: Answer; callSid: string }> {
  const callSid = newCallSid();
  const base = { CallSid: callSid, From: ADA, To: LINE, AccountSid: 'AC' + 'c'.repeat(32) };
  let a = await h.voice('/twilio/voice', base);
  for (const digits of ['2', '1']) {
    const action = a.gather?.attrs.action;
    if (!action) throw new Error(`expected a prompt, got ${a.body}`);
    a = await h.voice(relative(action), { ...base, Digits: digits });
  }
  return { answer: a, callSid };
}

function assignmentParams(taskAttributes: Record<string, unknown>, workerAttributes: Record<string, unknown>) {
  return {
    AccountSid: 'AC' + 'c'.repeat(32),
    WorkspaceSid: WORKSPACE,
    WorkflowSid: WORKFLOW,
    TaskQueueSid: 'WQ' + '2'.repeat(32),
    WorkerSid: 'WK' + '3'.repeat(32),
    WorkerAttributes: JSON.stringify(workerAttributes),
    TaskSid: 'WT' + '4'.repeat(32),
    TaskAttributes: JSON.stringify(taskAttributes),
    TaskAge: '12',
    TaskPriority: '100',
    ReservationSid: RESERVATION,
  };
}

describe('TaskRouter mode', () => {
  let taskAttributes: Record<string, unknown>;
  let ticketNumber: string;

  it('enqueues the caller with workflowSid and a Task carrying the ticket, priority mapped so the more urgent wins', async () => {
    const { answer, callSid } = await callerEnqueues();
    const enqueue = answer.enqueue!;
    expect(enqueue).toBeDefined();
    expect(enqueue.attrs).toMatchObject({ workflowSid: WORKFLOW, method: 'POST', waitUrlMethod: 'POST' });
    expect(enqueue.attrs.waitUrl).toMatch(new RegExp(`^${BASE_URL}/twilio/call/wait\\?`));
    expect(enqueue.attrs.action).toMatch(new RegExp(`^${BASE_URL}/twilio/call/queue-result\\?`));
    const tasks = childElements(enqueue, 'Task');
    expect(tasks).toHaveLength(1);
    // Only the Task noun inside: a queue name would be ignored by TaskRouter and mislead the reader.
    expect(enqueue.children.filter((c) => 'text' in c && c.text.trim())).toEqual([]);
    taskAttributes = JSON.parse(textOf(tasks[0]!)) as Record<string, unknown>;
    const [ticket] = (await h.deps.tickets.list({ org: 'contoso' })).filter((t) => t.callSid === callSid);
    ticketNumber = ticket!.number;
    expect(taskAttributes).toMatchObject({
      ticket: ticket!.number,
      priority: 'P1',
      service: 'technical',
      language: 'en-US',
      org: 'contoso',
      orgName: 'Contoso',
      plan: 'business',
      verifiedBy: 'caller-id',
    });
    expect(Number(tasks[0]!.attrs.priority)).toBe(taskRouterPriority(ticket!));
    expect(taskRouterPriority({ priorityRank: 0, priorityQueue: false })).toBeGreaterThan(taskRouterPriority({ priorityRank: 1, priorityQueue: true }));
    expect(taskRouterPriority({ priorityRank: 1, priorityQueue: true })).toBeGreaterThan(taskRouterPriority({ priorityRank: 1, priorityQueue: false }));
  });

  it('answers a reservation with the call instruction as JSON: worker contact, our number, the whisper step', async () => {
    const res = await h.agent(
      '/twilio/agent/assignment',
      assignmentParams(taskAttributes, { contact_uri: '+15550100777', agent_id: '1001', languages: ['en-US'] }),
    );
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('application/json; charset=utf-8');
    const instruction = JSON.parse(res.body) as Record<string, string>;
    expect(Object.keys(instruction).sort()).toEqual(['from', 'instruction', 'to', 'url']);
    expect(instruction).toEqual({
      instruction: 'call',
      to: '+15550100777',
      from: LINE,
      url: `${BASE_URL}/twilio/agent/whisper?t=${ticketNumber}&r=${RESERVATION}&a=1001`,
    });
  });

  it('the worker hears the same whisper, then the reserved caller is bridged with Dial Queue reservationSid', async () => {
    const workerCall = newCallSid();
    const a = await h.agent(`/twilio/agent/whisper?t=${ticketNumber}&r=${RESERVATION}&a=1001`, {
      CallSid: workerCall,
      From: LINE,
      To: '+15550100777',
      CallStatus: 'in-progress',
    });
    // Issue 13: the short whisper, the ticket number in groups.
    expect(a.says).toEqual([`P1, Contoso, business plan, caller ID. Ticket ${digitGroups(ticketNumber)}.`]);
    const queue = queueOf(a)!;
    expect(queue.attrs).toMatchObject({ reservationSid: RESERVATION, url: `${BASE_URL}/twilio/agent/bridge?t=${ticketNumber}&a=1001` });
    expect(textOf(queue)).toBe('');
    expect(await h.ticket(ticketNumber)).toMatchObject({ status: 'in-progress', agent: '1001' });
    // The dequeued caller's leg runs the bridge step like on the agents' line.
    const ticket = await h.ticket(ticketNumber);
    const bridge = await h.agent(relative(queue.attrs.url!), { CallSid: ticket.callSid, QueueSid: 'QU' + '5'.repeat(32), DequeingCallSid: workerCall });
    expect(bridge.says).toEqual(['Connecting you to an agent now.']);
    expect((await h.ticket(ticketNumber)).bridgedAt).toBeDefined();
  });

  it('rejects a reservation it cannot deliver, so TaskRouter offers the task to another worker', async () => {
    for (const params of [
      assignmentParams(taskAttributes, { agent_id: '1001' }), // no contact_uri
      { ...assignmentParams(taskAttributes, { contact_uri: '+15550100777' }), TaskAttributes: 'not json' },
      { ...assignmentParams(taskAttributes, { contact_uri: '+15550100777' }), ReservationSid: 'bogus' },
    ]) {
      const res = await h.agent('/twilio/agent/assignment', params);
      expect(res.contentType).toBe('application/json; charset=utf-8');
      expect(JSON.parse(res.body)).toEqual({ instruction: 'reject' });
    }
  });

  it('a task without a ticket still reaches the worker, from the agents line', async () => {
    const res = await h.agent('/twilio/agent/assignment', assignmentParams({ type: 'support-call' }, { contact_uri: 'client:sam' }));
    expect(JSON.parse(res.body)).toMatchObject({ instruction: 'call', to: 'client:sam', from: AGENTS_LINE });
  });

  it('the assignment callback is signed like every webhook', async () => {
    const res = await h.agent('/twilio/agent/assignment', assignmentParams(taskAttributes, { contact_uri: '+15550100777' }), { sign: false });
    expect(res.status).toBe(403);
  });
});
