import { fileURLToPath } from 'node:url';

/** The project's `prisma/` folder, found from this file so the working directory does not matter. */
export const prismaPaths = {
  schema: fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url)),
  migrations: fileURLToPath(new URL('../../prisma/migrations', import.meta.url)),
};
