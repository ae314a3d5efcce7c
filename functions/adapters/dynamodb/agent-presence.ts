/**
 * Who is on the agents' line, read from where it already lives: the call state of each agent's own call
 * (`calls` table, `kind = agent`). A signed-in agent's call has `signedIn`; while a caller is announced or
 * bridged it carries `ticketNumber` (cleared when the agent is offered the next caller); the status
 * callback marks `endedAt` when the agent hangs up. No new item is written for the board: this is a
 * filtered scan of the calls table, whose items expire a day after their last step, so it stays small.
 */
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './errors.js';

export interface AgentCall {
  agentId: string;
  callSid: string;
  /** When the agent's call started. */
  since: string;
  /** The step the agent's call is at (`agent-next`, `agent-done`, ...). */
  step: string;
  /** The ticket announced or bridged to the agent, while the call with it lasts. */
  ticketNumber?: string;
  endedAt?: string;
}

export class DynamoAgentPresence {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The agents' calls that got past sign-in, still going or ended, at most `limit`. */
  async agentCalls(limit = 500): Promise<AgentCall[]> {
    const calls: AgentCall[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await dynamo('scan agent calls', () =>
        this.doc.send(
          new ScanCommand({
            TableName: this.table,
            FilterExpression: 'sk = :state AND kind = :agent AND signedIn = :yes',
            ExpressionAttributeValues: { ':state': 'STATE', ':agent': 'agent', ':yes': true },
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of out.Items ?? []) {
        if (typeof item.agentId !== 'string' || typeof item.callSid !== 'string') continue;
        calls.push({
          agentId: item.agentId,
          callSid: item.callSid,
          since: String(item.createdAt ?? ''),
          step: String(item.expect ?? ''),
          ...(typeof item.ticketNumber === 'string' ? { ticketNumber: item.ticketNumber } : {}),
          ...(typeof item.endedAt === 'string' ? { endedAt: item.endedAt } : {}),
        });
      }
      start = out.LastEvaluatedKey;
    } while (start && calls.length < limit);
    return calls.slice(0, limit);
  }
}
