/**
 * Ticket numbers in Chinese and Japanese sentences: the agents' flow hands the whisper and the callback
 * intro their digits in groups with ", " (`digitGroups` in domain/agent-life.ts knows no language), while
 * these languages pause at an ideographic comma, as `ticketDigits` writes it for the caller.
 */
export const cjkGroups = (digits: unknown): string => String(digits).replace(/, /g, '、');
