// Generates the Prisma client without the schema-engine binary download, which cannot
// happen offline: `prisma generate` only needs the variable to name an existing file.
import { execFileSync } from 'node:child_process';
execFileSync('npx', ['--no-install', 'prisma', 'generate'], {
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/false' },
});
