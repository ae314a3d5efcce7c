/**
 * English prompts. Every message id the line can say has an English text: it is the fallback of every
 * other catalog. Wording is tested by the end-to-end callers (they answer prompts by what they ask),
 * so keep the key words: "account number", "code", "text message", "email", "press", "priority", "call back".
 */
import { plural, type Params } from './plural.js';

const DAYS: Record<string, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };
const STATUS: Record<string, string> = {
  waiting: 'is waiting for an agent again',
  callback: 'is waiting for a call back',
  'in-progress': 'is now with an agent',
  abandoned: 'was left before an agent answered; we will call back',
  closed: 'is closed',
};
/** Statuses as a subject names them ("in progress", not the id "in-progress"). */
const STATUS_NAME: Record<string, string> = { waiting: 'waiting', callback: 'call back', 'in-progress': 'in progress', abandoned: 'left', closed: 'closed' };

/** The reference catalog: its keys are the type `MessageId`, and every other catalog must have all of them. */
export const en = {
  'unknown-line': () => 'Sorry, this number does not reach our support line. Please check the number on our support website. Goodbye.',
  greeting: () => 'Thank you for calling support.',
  'menu-option': (p) => `For ${p.service}, press ${p.digit}.`,
  'menu-invalid': () => 'Sorry, that is not one of the options.',
  'menu-default': (p) => `We will connect you to ${p.service}.`,
  'menu-none': () => 'We did not get a choice. Please call again when you are ready. Goodbye.',
  'language-option': (p) => `For ${p.name}, press ${p.digit}.`,
  goodbye: () => 'Goodbye.',
  'caller-known': (p) => `Hello ${p.name} from ${p.org}.`,
  'account-prompt': () => "Please enter your organization's account number, then press the pound key.",
  'account-invalid': () => 'Sorry, we could not find that account number.',
  'account-too-many': () => 'We could not find your account. Please check your account number and call again. Goodbye.',
  'account-limit': () => 'Too many account numbers were tried from your phone number. Please use our web support. Goodbye.',
  'channel-prompt-sms': (p) => `To receive a verification code by text message to the phone ending in ${p.last}, press 1.`,
  'channel-prompt-email': (p) => `To receive it by email at ${p.address}, press 2.`,
  'channel-invalid': () => 'Sorry, that is not one of the options.',
  'no-channel': () =>
    'Your organization has no registered phone or email to send a verification code to. Please ask an administrator to update your profile. Goodbye.',
  'code-sent-sms': (p) => `We sent a verification code by text message to the phone ending in ${p.last}.`,
  'code-sent-email': (p) => `We sent a verification code by email to ${p.address}.`,
  'code-prompt': () => 'Please enter the 6 digit code.',
  'code-wrong': (p) => `That code is not correct. You have ${p.left} ${p.left === 1 ? 'try' : 'tries'} left.`,
  'code-bad-format': () => 'The code has 6 digits.',
  'code-none': () => 'We did not get a 6 digit code. Please call again when you have it. Goodbye.',
  'code-dead': () => 'That code can no longer be used after too many wrong entries. Please call again to get a new one. Goodbye.',
  'code-expired': () => 'That code has expired. Please call again to get a new one. Goodbye.',
  'code-rate-limited': () => 'Too many codes were sent for your organization in the last 10 minutes. Please try again in 10 minutes. Goodbye.',
  'code-rate-limited-caller': () => 'Too many codes were requested from your phone number in the last 10 minutes. Please try again in 10 minutes. Goodbye.',
  'code-locked': () => 'Code verification for your organization is paused for an hour after too many wrong codes. Please use our web support. Goodbye.',
  'code-send-failed': (p) => `Sorry, we could not send the code by ${p.channel === 'sms' ? 'text message' : 'email'}.`,
  'code-send-failed-final': () => 'Sorry, we could not send a verification code right now. Please call again in a few minutes. Goodbye.',
  verified: () => 'Thank you, you are verified.',
  'not-entitled-no-phone': () => 'Your plan does not include phone support. Please open a request on our support website. Goodbye.',
  'not-entitled-service': (p) => `Your plan does not include phone support for ${p.service}. Please open a request on our support website. Goodbye.`,
  'not-entitled-role': () =>
    'Phone support for your organization is available to its administrators. Please ask an administrator to call us, or open a request on our support website. Goodbye.',
  barred: (p) => `Phone support is not available to this caller until ${p.until}. Goodbye.`,
  closed: (p) => `${cap(String(p.service))} is open ${p.hours}. We are closed right now.`,
  'closed-holiday': () => 'Today is a public holiday.',
  'callback-prompt': () => 'To leave a request for us to call you back, press 1. Otherwise, hang up.',
  'callback-or-urgent-prompt': (p) => `To leave a request for us to call you back, press 1. If your issue is ${p.levels}, press 2.`,
  'callback-none': () => 'Thank you for calling. Goodbye.',
  'callback-created': () => 'We will call you back when we open.',
  'priority-intro': () => 'Choose a priority.',
  'priority-option': (p) => `${cap(String(p.meaning))}, press ${p.digit}.`,
  'priority-option-outage': (p) => `Down for many users, press ${p.digit}.`,
  'priority-option-critical': (p) => `Critical for one user, press ${p.digit}.`,
  'priority-option-workaround': (p) => `Broken, with a workaround, press ${p.digit}.`,
  'priority-option-question': (p) => `A question or minor issue, press ${p.digit}.`,
  'priority-skipped': (p) => `Your ticket is ${p.level}.`,
  'priority-invalid': () => 'Sorry, that is not one of the choices.',
  'priority-none': () => 'We did not get a priority. Please call again. Goodbye.',
  'priority-lowered-service': (p) => `${cap(String(p.service))} issues are handled at most as ${p.level}, so your ticket is ${p.level}.`,
  'priority-lowered-plan': (p) => `Your plan includes priority up to ${p.level}, so your ticket is ${p.level}.`,
  'priority-fair-use': (p) => `Your organization opened many ${p.top} tickets in the last ${p.window}, so this ticket is ${p.level}.`,
  'ticket-number': (p) => `Your ticket number is ${p.digits}.`,
  'ticket-due': (p) => `Priority ${p.level}. We will respond by ${p.due}.`,
  'ticket-confirmation-sent': () => 'We sent a confirmation to your organization.',
  'ticket-confirmation-queued': () => 'A confirmation to your organization will follow shortly.',
  'ticket-confirmation-failed': () => 'We could not send a confirmation to your organization. Please note your ticket number.',
  'queue-hold': () => 'Please hold while we connect you to an agent.',
  'ticket-queued': (p) => `Your ticket number is ${p.digits}, ${p.level}. ${detailsBy(p.channel)}Please hold.`,
  'queue-position': (p) => (Number(p.position) <= 1 ? 'You are next in line.' : `You are number ${p.position} in line.`),
  'queue-callback-offer': () => 'To hang up and keep your place for a call back, press 1.',
  'queue-hold-on': () => 'Please stay on the line for an agent.',
  'queue-key-invalid': () => 'Sorry, that key does nothing while you wait.',
  'queue-callback-kept': (p) => `We will call you back about ticket ${p.digits}, in your turn. Goodbye.`,
  'queue-callback-taken': () => 'An agent is already taking your call. Please stay on the line.',
  'queue-callback-unavailable': () => 'Sorry, we cannot take a call back request now.',
  'queue-full': (p) => `All our lines are full right now. Ticket ${p.digits} keeps its place and we will call you back. Goodbye.`,
  'open-ticket-prompt': (p) => `You have an open ticket, number ${p.digits}. To wait for it, press 1. For a new ticket, press 2.`,
  'open-ticket-joined': (p) => `We will connect you about ticket ${p.digits}. Please hold.`,
  'open-ticket-with-agent': (p) => `An agent is already working on ticket ${p.digits}. Goodbye.`,
  'ticket-limit-folded': (p) => `You opened ${p.max} tickets in the last hour, so this call joins ticket ${p.digits}.`,
  'ticket-limit-reached': (p) => `You opened ${p.max} tickets in the last hour, our limit. Please call again later. Goodbye.`,
  'org-intro': () => 'Which organization are you calling for?',
  'org-option': (p) => `For ${p.org}, press ${p.digit}.`,
  'queue-estimate': (p) => `The estimated wait is about ${p.minutes} ${p.minutes === 1 ? 'minute' : 'minutes'}.`,
  'queue-thanks': () => 'Thank you for waiting. An agent will be with you shortly.',
  'error-generic': () => 'Sorry, something went wrong on our side. Please call again in a few minutes. Goodbye.',
  'error-store': () => 'Sorry, our systems are busy right now. Please call again in a few minutes. Goodbye.',
  'ticket-spooled': (p) => `Our ticket system is busy, but your request is saved. Your reference is ${p.digits}. We will call you back.`,
  'lost-state': () => 'Sorry, we lost track of your call. Please call again. Goodbye.',
  'one-moment': () => 'One moment please.',
  // The agents' line
  'agent-welcome': () => "Agents' line.",
  'agent-id-prompt': () => 'Enter your agent ID, then press the pound key.',
  'agent-pin-prompt': () => 'Enter your PIN, then press the pound key.',
  'agent-denied': () => 'Those details are not right.',
  'agent-locked': () => 'Sign-in is locked after too many wrong entries. Please try again in 15 minutes. Goodbye.',
  'agent-no-callers': () => 'No callers are waiting for you right now. Press 1 to check again, or hang up.',
  'agent-whisper': (p) => `${p.priority}, ${p.org}, ${p.plan} plan, ${p.method === 'code' ? 'verified by code' : 'caller ID'}. Ticket ${p.digits}.`,
  'agent-queue-empty': () => 'That caller is no longer waiting.',
  'agent-signed-in': (p) => `Hello ${p.name}.`,
  'agent-too-many': () => 'Sign-in failed too many times. Please check your details and call again. Goodbye.',
  'agent-next-prompt': () => 'Press 1 for the next caller, or hang up.',
  'agent-call-ended': () => 'The call has ended.',
  'agent-bridge-caller': () => 'Connecting you to an agent now.',
  'agent-whisper-callback': (p) =>
    `Callback. ${p.priority}, ${p.org}, ${p.plan} plan, ${p.method === 'code' ? 'verified by code' : 'caller ID'}. Ticket ${p.digits}.`,
  'agent-callback-prompt': () => 'Press 1 to call the customer, or 2 to put the callback back.',
  'agent-callback-returned': () => 'The callback is back in the list.',
  'agent-callback-no-answer': () => 'The customer did not answer. The callback stays in the list.',
  'agent-wrapup-prompt': () => 'Press 1 if the issue is resolved, or 2 if it is still open.',
  'agent-wrapup-closed': () => 'Ticket closed.',
  'agent-wrapup-open': () => 'The ticket stays open.',
  'callback-customer-intro': (p) => `This is support, calling you back about ticket ${p.digits}. Connecting you to an agent.`,
  // The survey after a conversation, where the data file asks for one
  'survey-prompt': () => 'Please rate the help you received from 1 to 5, where 5 is the best.',
  'survey-invalid': () => 'Please press a number from 1 to 5.',
  'survey-thanks': () => 'Thank you for your rating. Goodbye.',
  // Pages for the on-call team and supervisors
  'page-pin-cap-subject': (p) => `Agent ${p.agent}: ${p.count} wrong PINs today`,
  'page-pin-cap-body': (p) =>
    `Agent id ${p.agent} has had ${p.count} wrong PINs today from ${p.numbers} calling numbers, the last from ${p.caller}. Each number is locked on its own; the agent can still sign in from their own phone.`,
  'page-escalated-subject': (p) => `${p.priority} ticket ${p.number} escalated: no first response`,
  'page-escalated-body': (p) =>
    `${p.priority} ticket ${p.number} of ${p.org} (${p.plan}) was not answered by its first-response time ${p.due}; it is now with tier 2.`,
  'page-code-paused-subject': (p) => `Code verification paused: ${p.org}`,
  'page-code-paused-body': (p) =>
    `${p.count} wrong verification codes in a row for ${p.org} (${p.id}); code verification is refused for ${p.duration}. See the audit log.`,
  // Names and read-outs the flows put into the sentences above (issue 12: no language text outside the catalogs)
  'language-name': () => 'English',
  'service-technical': () => 'technical support',
  'service-billing': () => 'billing',
  'service-other': (p) => `${p.id} support`,
  'priority-meaning-1': () => 'the service is down for many users with no workaround',
  'priority-meaning-2': () => 'a critical problem affects one user or collaboration',
  'priority-meaning-3': () => 'something is not working as expected but there is a workaround',
  'priority-meaning-4': () => 'you have a question or a minor issue',
  'day-name': (p) => DAYS[String(p.day)] ?? String(p.day),
  'days-range': (p) => `${DAYS[String(p.from)]} to ${DAYS[String(p.to)]}`,
  'hours-span': (p) => `${p.days}, ${p.open} to ${p.close}`,
  'hours-always': () => 'around the clock, every day',
  'time-midnight': () => 'midnight',
  'duration-days': (p) => `${p.count} ${plural('en', p.n ?? p.count, { one: 'day', other: 'days' })}`,
  'duration-hours': (p) => `${p.count} ${plural('en', p.n ?? p.count, { one: 'hour', other: 'hours' })}`,
  'duration-minutes': (p) => `${p.count} ${plural('en', p.n ?? p.count, { one: 'minute', other: 'minutes' })}`,
  'due-today': (p) => `today at ${p.time}`,
  'due-tomorrow': (p) => `tomorrow at ${p.time}`,
  'due-weekday': (p) => `${p.day} at ${p.time}`,
  'due-date': (p) => `${p.date} at ${p.time}`,
  'date-at-time': (p) => `${p.date} at ${p.time}`,
  'time-in-zone': (p) => `${p.time} ${p.zone}`,
  // Texts and emails to the organization, and pages to the on-call team
  'sms-code': (p) => `Your support line verification code is ${p.code}. It is valid for 10 minutes. Never share it.`,
  'email-code-subject': () => 'Your support line verification code',
  'email-code-body': (p) =>
    `Your verification code is ${p.code}.\nIt is valid for 10 minutes and can be used once.\nIf you did not call our support line, you can ignore this email.`,
  'ticket-opened-text': (p) => `Support ticket ${p.number} (${p.priority}, ${p.service}) was opened by phone for ${p.org}. First response due ${p.due}.`,
  'ticket-opened-callback-text': (p) =>
    `Support ticket ${p.number} (${p.priority}, ${p.service}) was opened by phone for ${p.org}. We will call back; first response due ${p.due}.`,
  'ticket-opened-subject': (p) => `Support ticket ${p.number} (${p.priority})`,
  'ticket-status-text': (p) => `Support ticket ${p.number} (${p.priority}, ${p.service}) for ${p.org} ${STATUS[String(p.status)] ?? p.status}.`,
  'ticket-status-subject': (p) => `Support ticket ${p.number}: ${STATUS_NAME[String(p.status)] ?? p.status}`,
  'page-subject': (p) => `${p.priority} ticket ${p.number}: ${p.org}`,
  'page-text': (p) => `${p.priority} ${p.service} ticket ${p.number} from ${p.org} (${p.plan}) on ${p.line}, first response due ${p.due}.`,
  // The survey after a conversation, where the data file asks for one
  // Pages for the on-call team and supervisors
  // Closing a ticket (the ticket API and the board): the text or email to the organization
  'ticket-closed-subject': (p) => `Support ticket ${p.number} is closed`,
  'ticket-closed-text': (p) => `Support ticket ${p.number} (${p.priority}) for ${p.org} is closed.`,
  'ticket-closed-resolution': (p) => `Resolution: ${p.resolution}`,
} satisfies Record<string, (p: Params) => string>;

/** Where the ticket's details went, as a sentence with its trailing space ('' when no confirmation was sent). */
function detailsBy(channel: unknown): string {
  return channel === 'sms' ? 'Details follow by text. ' : channel === 'email' ? 'Details follow by email. ' : '';
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
