// `npm run db:template` (and `postinstall`): migrates an empty database once and caches its data
// folder, so the first start of the embedded database copies it instead of migrating
// (src/store/embedded-template.ts). Safe to run again: an up-to-date cache is left as it is.
import { existsSync } from 'node:fs';
import { type CliIo, isMainModule, processIo } from '../../cli-io.js';
import { cachedTemplate, embeddedTemplateFile } from '../embedded-template.js';

export async function main(_argv: readonly string[], io: CliIo): Promise<number> {
  const file = await embeddedTemplateFile();
  if (existsSync(file)) {
    io.out(`the migrated template is up to date: ${file}`);
    return 0;
  }
  await cachedTemplate({ log: io.err });
  io.out(existsSync(file) ? `migrated template cached: ${file}` : 'the migrated template could not be cached; first starts will migrate');
  return 0;
}

if (isMainModule(import.meta.url)) process.exitCode = await main(process.argv.slice(2), processIo);
