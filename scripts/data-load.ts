/** Entry point of `npm run data:load`; the logic is `dataLoad` in functions/data/cli.ts, where tests run it in-process. */
import { dataLoad, runCli } from '../functions/data/cli.js';

await runCli(dataLoad);
