// What the command-line tools (`npm run eligibility`, `flows:check`, `flows:diagram`) share: each
// exports `main(argv, io)` returning its exit code, so tests call it in-process (no tsx start per
// case) and the file runs it only when started as a script.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Where a command writes, one line at a time. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

/** Standard output and standard error. */
export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * True when the module at `moduleUrl` is the script Node was started with, false when imported.
 *
 * @example
 * if (isMainModule(import.meta.url)) process.exitCode = await main(process.argv.slice(2), processIo);
 */
export function isMainModule(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return moduleUrl === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}
