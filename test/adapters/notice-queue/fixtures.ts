import type { Notice } from '../../../functions/app/ports.js';

export const CALL = `CA${'ab'.repeat(16)}`;
export const OTHER_CALL = `CA${'cd'.repeat(16)}`;

export function confirmation(callSid = CALL, o: Partial<Extract<Notice, { kind: 'confirmation' }>> = {}): Notice {
  return {
    kind: 'confirmation',
    key: `confirm#${callSid}`,
    callSid,
    ticket: '912345678',
    spooled: true,
    message: { channel: 'sms', to: '+12125550100', body: 'Ticket 912345678 opened.' },
    ...o,
  };
}

export function page(callSid = CALL): Notice {
  return { kind: 'page', key: `page#${callSid}`, callSid, ticket: '912345678', subject: 'P1 ticket 912345678', body: 'Acme: down for many users.' };
}
