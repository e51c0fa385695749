// Command-line tools run in-process: `main(argv, io)` with the output captured, as a person at a
// terminal would read it (each line ended by a newline), instead of starting tsx for every case.
import type { CliIo } from '../../src/cli-io.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command's `main` with captured output; async when `main` is.
 *
 * @example
 * const { code, stdout } = await captureCli((io) => main(['--flow', 'intake'], io));
 */
export function captureCli(main: (io: CliIo) => number): CliRun;
export function captureCli(main: (io: CliIo) => Promise<number>): Promise<CliRun>;
export function captureCli(main: (io: CliIo) => number | Promise<number>): CliRun | Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: CliIo = { out: (line) => stdout.push(`${line}\n`), err: (line) => stderr.push(`${line}\n`) };
  const done = (code: number): CliRun => ({ code, stdout: stdout.join(''), stderr: stderr.join('') });
  const code = main(io);
  return typeof code === 'number' ? done(code) : code.then(done);
}

/** As a shell would: resolves with the output on exit code 0, rejects with it otherwise. */
export async function succeeds(run: Promise<CliRun> | CliRun): Promise<CliRun> {
  const result = await run;
  if (result.code !== 0) throw Object.assign(new Error(`exit code ${result.code}: ${result.stderr}`), result);
  return result;
}
