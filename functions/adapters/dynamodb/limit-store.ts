/**
 * The caller side's abuse limits in the `calls` table (short-lived items with a TTL), each admission one
 * conditional write, so concurrent calls cannot overspend a limit:
 *  - `LIMIT#<rule>#<subject>` / `S#<slice start>`: events of one slice of a rolling window (rules and
 *    slices: domain/abuse-limits.ts). The earlier slices are read with one query; the current slice is
 *    incremented only while it stays under what they leave (`c < :allow`).
 *  - `LIMIT#code-fail#<org>` / `STREAK`: wrong code entries in a row, and `pausedUntil` once the run
 *    reached the cap. Counting is refused while paused; exactly one entry wins the pause.
 */
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  CODE_FAILURE_STREAK,
  sliceAllowance,
  sliceStart,
  streakReachesCap,
  WINDOW_RULES,
  windowFloor,
  type WindowRuleName,
} from '../../domain/abuse-limits.js';
import type { AbuseLimits, CodeFailureResult, CodeRun, LimitTake } from '../../app/ports.js';
import { dynamo, writeIf } from './errors.js';

const SLICE_DIGITS = 15;
const sliceSk = (start: number) => `S#${String(start).padStart(SLICE_DIGITS, '0')}`;
const windowPk = (rule: WindowRuleName, subject: string) => `LIMIT#${rule}#${subject}`;
const streakKey = (orgId: string) => ({ pk: `LIMIT#code-fail#${orgId}`, sk: 'STREAK' });
const DAY_S = 86_400;

export class DynamoLimitStore implements AbuseLimits {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async take(rule: WindowRuleName, subject: string, nowMs: number): Promise<LimitTake> {
    const r = WINDOW_RULES[rule];
    const pk = windowPk(rule, subject);
    const slice = sliceStart(r, nowMs);
    const out = await dynamo('read limit', () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':p': pk, ':from': sliceSk(windowFloor(r, nowMs)), ':to': sliceSk(slice) },
          ConsistentRead: true,
        }),
      ),
    );
    const earlier = (out.Items ?? []).map((i) => ({ start: Number(String(i.sk).slice(2)), count: Number(i.c ?? 0) }));
    const allow = sliceAllowance(r, nowMs, earlier);
    if (allow <= 0) return { allowed: false, slice };
    const written = await writeIf('take limit', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk, sk: sliceSk(slice) },
          UpdateExpression: 'ADD c :one SET expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(c) OR c < :allow',
          ExpressionAttributeValues: { ':one': 1, ':allow': allow, ':exp': Math.ceil((slice + r.sliceMs + r.windowMs) / 1000) },
        }),
      ),
    );
    return { allowed: written !== undefined, slice };
  }

  async giveBack(rule: WindowRuleName, subject: string, slice: number): Promise<void> {
    await writeIf('give back limit', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: windowPk(rule, subject), sk: sliceSk(slice) },
          UpdateExpression: 'ADD c :minus',
          ConditionExpression: 'c > :zero',
          ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
        }),
      ),
    );
  }

  async codeRun(orgId: string, nowMs: number): Promise<CodeRun> {
    const out = await dynamo('read code streak', () => this.doc.send(new GetCommand({ TableName: this.table, Key: streakKey(orgId), ConsistentRead: true })));
    const until = Number(out.Item?.pausedUntil ?? 0);
    const streak = Number(out.Item?.streak ?? 0);
    return until > nowMs ? { pausedUntil: until, streak } : { streak };
  }

  async codeFailed(orgId: string, nowMs: number): Promise<CodeFailureResult> {
    const counted = await writeIf('count code failure', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: streakKey(orgId),
          UpdateExpression: 'ADD streak :one SET expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(pausedUntil) OR pausedUntil <= :now',
          ExpressionAttributeValues: { ':one': 1, ':now': nowMs, ':exp': Math.ceil(nowMs / 1000) + DAY_S },
          ReturnValues: 'UPDATED_NEW',
        }),
      ),
    );
    if (!counted) return { streak: 0, pausedNow: false, paused: true };
    const streak = Number(counted.Attributes?.streak ?? 0);
    if (!streakReachesCap(streak)) return { streak, pausedNow: false, paused: false };
    // Of the entries that reached the cap at once, exactly one pauses (the condition sees the others' reset).
    const paused = await writeIf('pause codes', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: streakKey(orgId),
          UpdateExpression: 'SET pausedUntil = :until, streak = :zero, expiresAt = :exp',
          ConditionExpression: 'streak >= :max AND (attribute_not_exists(pausedUntil) OR pausedUntil <= :now)',
          ExpressionAttributeValues: {
            ':until': nowMs + CODE_FAILURE_STREAK.lockMs,
            ':zero': 0,
            ':max': CODE_FAILURE_STREAK.max,
            ':now': nowMs,
            ':exp': Math.ceil((nowMs + CODE_FAILURE_STREAK.lockMs) / 1000) + DAY_S,
          },
        }),
      ),
    );
    return { streak, pausedNow: paused !== undefined, paused: true };
  }

  async codeVerified(orgId: string, nowMs: number): Promise<void> {
    await writeIf('reset code streak', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: streakKey(orgId),
          UpdateExpression: 'SET streak = :zero',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(pausedUntil) OR pausedUntil <= :now)',
          ExpressionAttributeValues: { ':zero': 0, ':now': nowMs },
        }),
      ),
    );
  }
}
