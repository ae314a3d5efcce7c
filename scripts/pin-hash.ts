/** Entry point of `npm run pin:hash`; the logic is `pinHashCommand` in functions/data/cli.ts, where tests run it in-process. */
import { pinHashCommand, runCli } from '../functions/data/cli.js';

await runCli(pinHashCommand);
