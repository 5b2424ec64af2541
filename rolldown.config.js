// The server as one entry file plus lazy chunks (`npm run build:server` runs it after tsc, writing over
// tsc's dist/src/cli/main.js). Loading ~1 500 files one by one (Kysely's ESM build alone is 263) was most
// of the cold start: bench/README.md, "Session 10". Every `import()` in src/ stays a chunk loaded on
// first use (CLI commands, network connectors, tar, nodemailer, qrcode); what src/ requires through
// createRequire (pg, sanitize-html, twitter-text) is not seen by the bundler and stays in node_modules.
import { defineConfig } from 'rolldown';

// Packages that must stay in node_modules: a native addon found through `bindings`, and packages that
// read files beside their own code at run time (pino's transport workers, swagger's package.json and
// swagger-ui's static assets), which `__dirname` would no longer point at.
const EXTERNAL = new Set(['better-sqlite3', 'bindings', 'pino', 'thread-stream', '@fastify/swagger', '@fastify/swagger-ui']);

function packageOf(id) {
  const parts = id.split('/');
  return id.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export default defineConfig({
  input: { main: 'src/cli/main.ts' },
  platform: 'node',
  tsconfig: 'tsconfig.build.json',
  resolve: { extensionAlias: { '.js': ['.ts', '.js'] } },
  external: (id, _importer, isResolved) => {
    if (isResolved || id.startsWith('.') || id.startsWith('/')) return false;
    return id.startsWith('node:') || EXTERNAL.has(packageOf(id));
  },
  // No cleanDir: tests rebuild while other test files' servers run, and a server loads its lazy chunks late.
  // Chunk names carry a content hash, so a rebuild rewrites the same files; `rm -rf dist` drops old ones.
  output: {
    dir: 'dist/src/cli',
    format: 'esm',
    sourcemap: true,
    chunkFileNames: 'chunks/[name]-[hash].js',
    // One byte per character: a single non-Latin-1 character (a comment's "…") made V8 keep the whole 2 MB
    // source as UTF-16; ASCII escapes and no comments took idle RSS down ~6 MB (bench/README.md, "Session 11").
    // Whitespace stays: removing it measured no faster, and stack traces keep their lines.
    charset: 'ascii',
    comments: false,
  },
});
