/** Entry point of `npm run data:check`; the logic is `dataCheck` in functions/data/cli.ts, where tests run it in-process. */
import { dataCheck, runCli } from '../functions/data/cli.js';

await runCli(dataCheck);
