import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The Fastify server serves web/dist; in `npm run dev:web` the API is proxied to a running `chorus serve`.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: path.join(import.meta.dirname, 'dist'),
    emptyOutDir: true,
  },
  server: {
    proxy: { '/api': process.env.CHORUS_API_URL ?? 'http://localhost:3000' },
  },
});
