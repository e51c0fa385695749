import { defineConfig } from 'prisma/config';

// Only `prisma generate` uses this file: the app opens its database through driver adapters
// (src/store/client.ts) and applies migrations with the WebAssembly schema engine.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
