/** Entry point of `npm run data:schema`; the logic is `dataSchema` in functions/data/cli.ts, where tests run it in-process. */
import { dataSchema, runCli } from '../functions/data/cli.js';

await runCli(dataSchema);
