import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The Fastify server serves web/dist; in `npm run dev:web` the API is proxied to a running `chorus serve`.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // The web reaches the core floor (network rules, API shapes) through this one alias, never src/.
  resolve: { alias: { '@core': path.join(import.meta.dirname, '../core') } },
  build: {
    outDir: path.join(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    // React, Mantine, router, query and i18next together: ~210 kB gzipped, loaded once.
    chunkSizeWarningLimit: 800,
    // Libraries change less often than our code: a separate chunk stays cached across releases.
    // ECharts (and its renderer, zrender) only draws the analytics page: it stays in that page's
    // chunk, out of the first download.
    rolldownOptions: { output: { codeSplitting: { groups: [{ name: 'vendor', test: /node_modules\/(?!echarts\/|zrender\/|tslib\/)/ }] } } },
  },
  server: {
    proxy: { '/api': process.env.CHORUS_API_URL ?? 'http://localhost:3000' },
  },
});
