import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainModule, processIo, type CliIo } from '../cli-io.js';
import { parseCase } from './case.js';
import { loadCatalogue } from './catalogue.js';
import { evaluate } from './evaluate.js';

/*
 * npm run -s eligibility -- CASE.json [--catalogue DIR] [--ignore-host-country]
 * Prints the outcome of every programme as JSON. Exit codes: 0 ok; 1 bad case JSON, invalid case or
 * invalid catalogue; 2 usage error or unreadable file.
 */

const DEFAULT_CATALOGUE = fileURLToPath(new URL('../../flows/programmes', import.meta.url));
const USAGE = 'usage: eligibility CASE.json [--catalogue DIR] [--ignore-host-country]';

/** Runs the command with `argv` (without node and the script), writing to `io`; returns the exit code. */
export function main(argv: string[], io: CliIo): number {
  const fail = (code: number, lines: string[]): number => {
    for (const line of lines) io.err(line);
    return code;
  };
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    return fail(2, [error instanceof Error ? error.message : String(error), USAGE]);
  }
  const file = args.positionals[0];
  if (file === undefined || args.positionals.length > 1) return fail(2, [USAGE]);

  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return fail(2, [`${file}: cannot read: ${error instanceof Error ? error.message : String(error)}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(1, [`${file}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const parsed = parseCase(json);
  if (parsed.status === 'fail') {
    return fail(
      1,
      parsed.issues.map((issue) => `${file}: ${issue.path || '(case)'}: ${issue.message}`),
    );
  }

  const catalogue = loadCatalogue(args.values.catalogue ?? DEFAULT_CATALOGUE);
  if (catalogue.errors.length > 0) {
    return fail(
      1,
      catalogue.errors.map((e) => `${e.file}: ${e.path || '(file)'}: ${e.message}`),
    );
  }
  const results = evaluate(parsed.case, catalogue.programmes, {
    ignoreHostCountry: args.values['ignore-host-country'] === true,
    // Deadlines are compared with today's date (UTC).
    today: new Date().toISOString().slice(0, 10),
  });
  io.out(JSON.stringify(results, null, 2));
  return 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      catalogue: { type: 'string' },
      'ignore-host-country': { type: 'boolean' },
    },
  });
}

if (isMainModule(import.meta.url)) process.exitCode = main(process.argv.slice(2), processIo);
