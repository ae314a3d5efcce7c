/**
 * The step runner on the embedded DynamoDB: a step runs once whatever is retried or sent twice at the
 * same time; what is not the call's current step changes nothing; failures are spoken.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstPrompt, runStep, startStep, type StepFn } from '../../functions/app/step-runner.js';
import type { CallState } from '../../functions/domain/call-state.js';
import { say } from '../../functions/domain/decisions.js';
import { StoreUnavailableError } from '../../functions/domain/errors.js';
import type { FlowDeps } from '../../functions/app/deps.js';
import type { Ticket } from '../../functions/domain/tickets.js';
import type { AuditEntry } from '../../functions/app/ports.js';
import { BASE_URL, newCallSid, parseAnswer, startHarness, type Harness } from '../support/voice-harness.js';
import { callStateFixture, ticketFixture } from '../support/fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

async function newCall(over: Partial<CallState> = {}): Promise<CallState> {
  const state = callStateFixture(h.clock.now, over);
  await h.deps.calls.create(state, '<?xml version="1.0" encoding="UTF-8"?><Response><Say>first</Say></Response>', h.clock.now);
  return state;
}

/**
 * A menu step that records each run and the digits it saw, and moves the call to `account`. With a `gate`,
 * it finishes only when the test opens it, so a concurrent twin's timing is the test's, not the machine's.
 */
function countingStep(gate?: Promise<void>): { fn: StepFn; runs: string[] } {
  const runs: string[] = [];
  const fn: StepFn = async (state, input) => {
    runs.push(input.digits);
    if (gate) await gate;
    return {
      state: { ...state, expect: 'account', service: `svc-${input.digits.slice(0, 3)}` },
      verbs: [say('menu-default', { service: `run ${runs.length}` }), { kind: 'hangup' }],
    };
  };
  return { fn, runs };
}

/** A gate a step waits at, and deps whose `sleep` records each wait and lets `onSleep` act (e.g. open the gate). */
function gated(onSleep: (slept: number[]) => void = () => {}) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const slept: number[] = [];
  const deps: FlowDeps = {
    ...h.deps,
    sleep: async (ms) => {
      slept.push(ms);
      onSleep(slept);
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
  return { gate, open: () => open(), slept, deps };
}

function run(state: CallState, fn: StepFn, o: { s?: number; step?: string; digits?: string; deps?: FlowDeps } = {}) {
  return runStep({
    callSid: state.callSid,
    step: o.step ?? 'menu',
    s: o.s ?? 1,
    params: { CallSid: state.callSid, Digits: o.digits ?? '2' },
    baseUrl: BASE_URL,
    deps: o.deps ?? h.deps,
    steps: { menu: fn },
    selfUrl: `/twilio/call/${o.step ?? 'menu'}?s=${o.s ?? 1}`,
  });
}

const said = (twiml: string) => parseAnswer({ statusCode: 200, body: twiml }).says;

describe('runStep', () => {
  it('runs the step once, commits its state and answer; a retry gets the same answer without running it', async () => {
    const state = await newCall();
    const { fn, runs } = countingStep();
    const first = await run(state, fn);
    expect(said(first)).toEqual(['We will connect you to run 1.']);
    expect(await run(state, fn, { digits: '3' })).toBe(first);
    expect(runs).toEqual(['2']);
    expect(await h.deps.calls.get(state.callSid)).toMatchObject({ n: 2, expect: 'account', service: 'svc-2', last: { n: 1, twiml: first } });
  });

  it('two identical requests at the same time: the step runs once and both get its answer', async () => {
    const state = await newCall();
    // The step finishes while its twin is waiting for it (on the twin's first sleep).
    const g = gated(() => g.open());
    const { fn, runs } = countingStep(g.gate);
    const [a, b] = await Promise.all([run(state, fn, { deps: g.deps }), run(state, fn, { deps: g.deps })]);
    expect(a).toBe(b);
    expect(said(a)).toEqual(['We will connect you to run 1.']);
    expect(runs).toHaveLength(1);
    expect(g.slept.length).toBeGreaterThan(0);
  });

  it('a twin that waits longer than it may is told "one moment" and sent back to the same step', async () => {
    const state = await newCall();
    const g = gated();
    const { fn, runs } = countingStep(g.gate);
    const first = run(state, fn, { deps: g.deps });
    const twin = await run(state, fn, { deps: g.deps });
    const a = parseAnswer({ statusCode: 200, body: twin });
    expect(a.says).toEqual(['One moment please.']);
    expect(a.verbs).toEqual(['Say', 'Pause', 'Redirect']);
    expect(a.xml).toContain(`${BASE_URL}/twilio/call/menu?s=1`);
    // It waited its whole allowance (2.5 s in steps of 0.1 s) before giving up.
    expect(g.slept.reduce((sum, ms) => sum + ms, 0)).toBe(2_500);
    g.open();
    expect(said(await first)).toEqual(['We will connect you to run 1.']);
    expect(runs).toHaveLength(1);
  });

  it('the digits a step sees are capped at 64 characters', async () => {
    const state = await newCall();
    const { fn, runs } = countingStep();
    await run(state, fn, { digits: '9'.repeat(10_000) });
    expect(runs).toEqual(['9'.repeat(64)]);
  });

  it('a call with no state hears it was lost, and nothing is created', async () => {
    const sid = newCallSid();
    const { fn, runs } = countingStep();
    const twiml = await runStep({ callSid: sid, step: 'menu', s: 1, params: {}, baseUrl: BASE_URL, deps: h.deps, steps: { menu: fn }, selfUrl: '/x' });
    expect(said(twiml)).toEqual(['Sorry, we lost track of your call. Please call again. Goodbye.']);
    expect(runs).toEqual([]);
    expect(await h.deps.calls.get(sid)).toBeUndefined();
  });

  it('another step, another s, an unknown step or an unusable s replays the current answer and runs nothing', async () => {
    const state = await newCall();
    const { fn, runs } = countingStep();
    for (const o of [{ s: 2 }, { s: 0 }, { s: -1 }, { s: Number.NaN }, { s: 1.5 }, { step: 'priority' }, { step: 'nonexistent' }]) {
      expect(said(await run(state, fn, o)), JSON.stringify(o)).toEqual(['first']);
    }
    expect(runs).toEqual([]);
    expect(await h.deps.calls.get(state.callSid)).toMatchObject({ n: 1, expect: 'menu' });
  });

  it('a step that fails is an apology in the call’s language; the step can run again once its claim is stale', async () => {
    const state = await newCall({ language: 'pl-PL' });
    const logged: unknown[] = [];
    const deps: FlowDeps = { ...h.deps, log: (level, message) => logged.push([level, message]) };
    const failing: StepFn = async () => {
      throw new Error('bug');
    };
    const a = parseAnswer({ statusCode: 200, body: await run(state, failing, { deps }) });
    expect(a.says).toEqual(['Przepraszamy, wystąpił błąd po naszej stronie. Zadzwoń ponownie za kilka minut. Do widzenia.']);
    expect(a.hangup).toBe(true);
    expect(logged).toEqual([['error', 'step failed']]);
    expect(await h.deps.calls.get(state.callSid)).toMatchObject({ n: 1, expect: 'menu' });
    const { fn, runs } = countingStep();
    h.clock.now += 12_001;
    expect(said(await run(state, fn))).toEqual(['Łączymy z działem: run 1.']);
    expect(runs).toEqual(['2']);
  });

  it('a store that is down is "our systems are busy", spoken', async () => {
    const state = await newCall();
    const down: StepFn = async () => {
      throw new StoreUnavailableError('down');
    };
    expect(said(await run(state, down))).toEqual(['Sorry, our systems are busy right now. Please call again in a few minutes. Goodbye.']);
  });

  describe('the call ends while its step runs (the status callback came first)', () => {
    let seq = 0;
    const waitingTicket = async (callSid: string): Promise<Ticket> => {
      const now = new Date(h.clock.now).toISOString();
      const t = ticketFixture({ number: String(7_100_000 + ++seq), org: 'org-ended', callSid, createdAt: now });
      return h.deps.tickets.putIfAbsent(t);
    };
    /** A step that names `ticket` as the call's and meanwhile learns the call has ended. */
    const namingStep =
      (ticket: Ticket): StepFn =>
      async (state) => {
        await h.deps.calls.markEnded(state.callSid, new Date(h.clock.now).toISOString());
        return { state: { ...state, ticketNumber: ticket.number, expect: 'done' }, verbs: [say('goodbye'), { kind: 'hangup' }] };
      };

    it('abandons the ticket that waits on this very call: no caller is left on it', async () => {
      const state = await newCall();
      const own = await waitingTicket(state.callSid);
      await run(state, namingStep(own));
      expect(await h.deps.tickets.get(own.number)).toMatchObject({ status: 'abandoned', abandonedAt: expect.any(String) });
    });

    it("leaves alone a ticket the step only named: another call's caller still waits on it", async () => {
      const state = await newCall();
      const other = await waitingTicket(newCallSid());
      await run(state, namingStep(other));
      expect(await h.deps.tickets.get(other.number)).toMatchObject({ status: 'waiting', callSid: other.callSid });
    });
  });
});

describe('startStep (the first webhook: the call does not exist yet)', () => {
  /** The harness's deps, with every call-store method the step makes recorded by name. */
  function recordingCalls(base: FlowDeps = h.deps): { deps: FlowDeps; used: string[] } {
    const used: string[] = [];
    const calls = new Proxy(base.calls, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function'
          ? (...a: unknown[]) => {
              used.push(String(prop));
              return value.apply(target, a);
            }
          : value;
      },
    });
    return { deps: { ...base, calls }, used };
  }
  const fresh = (): CallState => callStateFixture(h.clock.now, { n: 0, expect: 'start' });
  const start = (state: CallState, fn: StepFn, deps: FlowDeps = h.deps) =>
    startStep({ state, fn, params: { CallSid: state.callSid }, baseUrl: BASE_URL, deps, selfUrl: '/twilio/voice', pendingTwiml: '<Response/>' });

  it('any other first step runs under the claim its create took, once, however many twins arrive', async () => {
    const state = fresh();
    const g = gated(() => g.open());
    const { fn, runs } = countingStep(g.gate);
    const r = recordingCalls(g.deps);
    const [a, b] = await Promise.all([start(state, fn, r.deps), start(state, fn, r.deps)]);
    expect(a).toBe(b);
    expect(said(a)).toEqual(['We will connect you to run 1.']);
    expect(runs).toHaveLength(1);
    // The creator: create (claimed) and commit, no separate claim; the twin: its create, then the claim that finds the step busy.
    expect(r.used.filter((m) => m === 'claim')).toHaveLength(1);
    expect(r.used.filter((m) => m === 'commit')).toHaveLength(1);
    expect(await h.deps.calls.get(state.callSid)).toMatchObject({ n: 1, expect: 'account', last: { n: 0, twiml: a } });
  });
});

describe('a first prompt that only asks is not stored: the step answering it stores the call', () => {
  /** The harness's deps, with every call-store method used recorded by name. */
  function recording(base: FlowDeps = h.deps): { deps: FlowDeps; used: string[] } {
    const used: string[] = [];
    const calls = new Proxy(base.calls, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? (...a: unknown[]) => (used.push(String(prop)), value.apply(target, a)) : value;
      },
    });
    return { deps: { ...base, calls }, used };
  }
  const menuPrompt = (over: Partial<CallState> = {}) => {
    const state = callStateFixture(h.clock.now, { n: 0, expect: 'start', ...over });
    const ask: StepFn = async (st) => ({ state: { ...st, expect: 'menu' }, verbs: [say('greeting')] });
    return { state, ask };
  };
  const answer = (state: CallState, fn: StepFn, deps: FlowDeps, ask: StepFn, digits = '2') =>
    runStep({
      callSid: state.callSid,
      step: 'menu',
      s: 1,
      params: { CallSid: state.callSid, Digits: digits },
      baseUrl: BASE_URL,
      deps,
      steps: { menu: fn },
      selfUrl: '/twilio/call/menu?s=1',
      unstored: () => firstPrompt({ state, fn: ask, params: { CallSid: state.callSid }, baseUrl: BASE_URL, deps: h.deps }),
    });
  /** A menu step that sends a text (an effect) before answering, and counts its runs. */
  function sendingStep(gate?: Promise<void>): { fn: StepFn; runs: number[] } {
    const runs: number[] = [];
    const fn: StepFn = async (st, _input, deps) => {
      runs.push(runs.length + 1);
      if (gate) await gate;
      await deps.notifier.send({ channel: 'sms', to: st.from, body: `sent by run ${runs.length}` });
      return { state: { ...st, expect: 'account' }, verbs: [say('menu-default', { service: `run ${runs.length}` }), { kind: 'hangup' }] };
    };
    return { fn, runs };
  }

  it('the first prompt writes nothing; its answer is what the rebuilt prompt says', async () => {
    const { state, ask } = menuPrompt();
    const r = recording();
    const first = await firstPrompt({ state, fn: ask, params: { CallSid: state.callSid }, baseUrl: BASE_URL, deps: r.deps });
    expect(r.used).toEqual([]);
    expect(first.state).toMatchObject({ n: 1, expect: 'menu' });
    expect(said(first.twiml)).toEqual(['Thank you for calling support.']);
    expect(await h.deps.calls.get(state.callSid)).toBeUndefined();
  });

  it('a step that only reads and asks stores the call with its answer in one write; a retry reads again but gets that answer', async () => {
    const { state, ask } = menuPrompt();
    const { fn, runs } = countingStep();
    const r = recording();
    const first = await answer(state, fn, r.deps, ask);
    expect(said(first)).toEqual(['We will connect you to run 1.']);
    expect(r.used).toEqual(['create']);
    expect(await h.deps.calls.get(state.callSid)).toMatchObject({ n: 2, expect: 'account', service: 'svc-2', last: { n: 1, twiml: first } });
    expect(await answer(state, fn, h.deps, ask, '3')).toBe(first);
    expect(runs).toEqual(['2', '3']);
  });

  it('a step that acts stores the call claimed before its first effect, then commits: twins act once', async () => {
    const { state, ask } = menuPrompt();
    const g = gated();
    const before = h.delivered.length;
    const { fn, runs } = sendingStep();
    const r = recording(g.deps);
    const [a, b] = await Promise.all([answer(state, fn, r.deps, ask), answer(state, fn, r.deps, ask)]);
    expect(a).toBe(b);
    expect(h.delivered.slice(before).map((m) => m.body)).toHaveLength(1);
    expect(r.used.filter((m) => m === 'commit')).toHaveLength(1);
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(await h.deps.calls.get(state.callSid)).toMatchObject({ n: 2, expect: 'account', last: { n: 1, twiml: a } });
  });

  it('a twin of a step that only asks: both may run, one answer is stored and both get it', async () => {
    const { state, ask } = menuPrompt();
    const g = gated();
    const { fn, runs } = countingStep(g.gate);
    const slow = answer(state, fn, g.deps, ask);
    const fast = answer(state, countingStep().fn, h.deps, ask);
    const stored = await fast;
    g.open();
    expect(await slow).toBe(stored);
    expect(runs).toHaveLength(1);
    expect(await h.deps.calls.get(state.callSid)).toMatchObject({ n: 2, last: { n: 1, twiml: stored } });
  });

  it('a call that ended before its first answer was stored: the step acts on nothing and says the call was lost', async () => {
    const { state, ask } = menuPrompt();
    expect(await h.deps.calls.markEnded(state.callSid, new Date(h.clock.now).toISOString())).toBe(false);
    const before = h.delivered.length;
    const { fn } = sendingStep();
    expect(said(await answer(state, fn, h.deps, ask))).toEqual(['Sorry, we lost track of your call. Please call again. Goodbye.']);
    expect(h.delivered.length).toBe(before);
    expect(await h.deps.calls.get(state.callSid)).toBeUndefined();
  });

  it('a call whose first prompt was stored (an older first webhook) is claimed as usual: the unstored run is dropped', async () => {
    const { state, ask } = menuPrompt();
    const first = await firstPrompt({ state, fn: ask, params: { CallSid: state.callSid }, baseUrl: BASE_URL, deps: h.deps });
    await h.deps.calls.create(first.state, first.twiml, h.clock.now);
    const { fn, runs } = countingStep();
    const r = recording();
    expect(said(await answer(state, fn, r.deps, ask))).toEqual(['We will connect you to run 2.']);
    expect(r.used).toEqual(['create', 'claim', 'commit']);
    expect(runs).toEqual(['2', '2']);
  });
});

describe("a step's writes (made with its commit)", () => {
  it('a refused write runs the step again, told which; the work after the commit runs once, for the answer given', async () => {
    const state = await newCall();
    const now = new Date(h.clock.now).toISOString();
    const [taken, free] = await Promise.all(
      [1, 2].map((i) =>
        h.deps.tickets.putIfAbsent(
          ticketFixture({
            number: String(72_000_000 + Number.parseInt(state.callSid.slice(-4), 16) * 10 + i),
            org: 'org-writes',
            callSid: newCallSid(),
            createdAt: now,
          }),
        ),
      ),
    );
    await h.deps.tickets.transition(taken!.number, 'in-progress', { agent: 'someone else' }, ['waiting']);
    const seen: string[][] = [];
    const after: string[] = [];
    const fn: StepFn = async (st, input) => {
      seen.push((input.refused ?? []).map((w) => w.number));
      const pick = [taken!, free!].find((t) => !(input.refused ?? []).some((w) => w.number === t.number))!;
      return {
        state: { ...st, expect: 'account', ticketNumber: pick.number },
        verbs: [say('menu-default', { service: pick.number }), { kind: 'hangup' }],
        writes: [{ kind: 'ticket-move', number: pick.number, from: 'waiting', to: 'in-progress', fields: { agent: 'me' } }],
        after: async () => void after.push(pick.number),
      };
    };
    const twiml = await run(state, fn);
    expect(said(twiml)).toEqual([`We will connect you to ${free!.number}.`]);
    expect(seen).toEqual([[], [taken!.number]]);
    expect(after).toEqual([free!.number]);
    expect(await h.deps.tickets.get(free!.number)).toMatchObject({ status: 'in-progress', agent: 'me' });
    expect(await h.deps.tickets.get(taken!.number)).toMatchObject({ agent: 'someone else' });
    expect(await h.deps.calls.get(state.callSid)).toMatchObject({ n: 2, ticketNumber: free!.number, last: { n: 1, twiml } });
  });

  it('a step whose writes are refused every time ends in a spoken apology, with nothing committed', async () => {
    const state = await newCall();
    const t = await h.deps.tickets.putIfAbsent(
      ticketFixture({
        number: String(73_000_000 + Number.parseInt(state.callSid.slice(-4), 16)),
        org: 'org-writes',
        callSid: newCallSid(),
        createdAt: new Date(h.clock.now).toISOString(),
      }),
    );
    await h.deps.tickets.transition(t.number, 'in-progress', { agent: 'someone else' }, ['waiting']);
    let runs = 0;
    const fn: StepFn = async (st) => {
      runs++;
      return {
        state: { ...st, expect: 'account' },
        verbs: [{ kind: 'hangup' }],
        writes: [{ kind: 'ticket-move', number: t.number, from: 'waiting', to: 'in-progress', fields: { agent: 'me' } }],
      };
    };
    expect(said(await run(state, fn))).toEqual(['Sorry, something went wrong on our side. Please call again in a few minutes. Goodbye.']);
    expect(runs).toBe(4);
    expect(await h.deps.calls.get(state.callSid)).toMatchObject({ n: 1, expect: 'menu' });
  });
});

describe("a step's audit entries", () => {
  const entryOf = (state: CallState, result: AuditEntry['result']): AuditEntry => ({
    org: `org-${state.callSid.slice(-6)}`,
    caller: state.from,
    callSid: state.callSid,
    method: 'account',
    result,
    at: new Date(h.clock.now).toISOString(),
  });

  it('are written with the commit, not while the step runs', async () => {
    const state = await newCall();
    const seenDuringStep: AuditEntry[][] = [];
    const fn: StepFn = async (s, _input, deps) => {
      await deps.audit.record(entryOf(s, 'account-found'), s.n);
      seenDuringStep.push(await h.deps.audit.forOrg(entryOf(s, 'account-found').org));
      return { state: { ...s, expect: 'account' }, verbs: [say('menu-default', { service: 'x' }), { kind: 'hangup' }] };
    };
    await run(state, fn);
    expect(seenDuringStep).toEqual([[]]);
    expect(await h.deps.audit.forOrg(entryOf(state, 'account-found').org)).toEqual([entryOf(state, 'account-found')]);
  });

  it('of a step that fails go to the log, as a failed audit write always did', async () => {
    const state = await newCall();
    const logged: Array<{ message: string; data?: Record<string, unknown> }> = [];
    const deps: FlowDeps = { ...h.deps, log: (_level, message, data) => logged.push({ message, ...(data ? { data } : {}) }) };
    const fn: StepFn = async (s, _input, d) => {
      await d.audit.record(entryOf(s, 'wrong-code'), s.n);
      throw new Error('the step broke');
    };
    expect(said(await run(state, fn, { deps }))).toEqual(['Sorry, something went wrong on our side. Please call again in a few minutes. Goodbye.']);
    expect(logged.find((l) => l.message === 'audit write failed')?.data).toMatchObject({ result: 'wrong-code', callSid: state.callSid });
    expect(await h.deps.audit.forOrg(entryOf(state, 'wrong-code').org)).toEqual([]);
  });
});
