/** Placeholder while the handler is written (issue 6 needed the entry to synthesize); replaced in the next commits. */
export const handler = async (): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> => ({ batchItemFailures: [] });
