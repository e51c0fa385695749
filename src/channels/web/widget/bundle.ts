import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** `/widget.js` as served: minified once at start-up, kept in memory with its compressed forms. */
export interface WidgetBundle {
  js: Buffer;
  gzip: Buffer;
  brotli: Buffer;
  etag: string;
}

export const widgetEntry = fileURLToPath(new URL('./client/main.ts', import.meta.url));

/** Bundles `entry` (the widget unless said otherwise; the console's pages reuse this) for browsers. */
export async function buildWidgetBundle(entry: string = widgetEntry): Promise<WidgetBundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020', 'chrome90', 'firefox90', 'safari15'],
    platform: 'browser',
    write: false,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error('esbuild produced no widget bundle');
  const js = Buffer.from(output.contents);
  return {
    js,
    gzip: gzipSync(js, { level: 9 }),
    brotli: brotliCompressSync(js, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: js.length } }),
    etag: `"${createHash('sha256').update(js).digest('base64url').slice(0, 27)}"`,
  };
}
