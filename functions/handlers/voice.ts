/** Placeholder while the handler is written; replaced in the next commits. */
export const handler = async (): Promise<{ statusCode: number; body: string }> => ({ statusCode: 503, body: 'not ready' });
