// The storefront's browser app. Preact through Vite's built-in JSX transform (no preset plugin):
// the app uses Preact's own API, so it needs neither preact/compat nor Babel.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  // Copied as they are: the demo catalog's pictures (src/demo/demo-catalog.data.ts), served at /pictures/.
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    // Beside the compiled server (dist/apps/storefront/src/main.js), which serves it.
    outDir: fileURLToPath(new URL('../../dist/apps/storefront/public', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: true,
  },
  server: {
    // `vite` in this folder for quick UI work: the API comes from a local gateway.
    proxy: { '/api': process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000' },
  },
});
