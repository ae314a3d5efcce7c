/** Entry point of `npm run data:import-lines`; the logic is `importLinesCommand` in functions/data/cli.ts, where tests run it in-process. */
import { importLinesCommand, runCli } from '../functions/data/cli.js';

await runCli(importLinesCommand);
