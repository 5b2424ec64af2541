// Lint guards the floors: no import cycle anywhere in the server or the web app.
// The floors (docs/ARCHITECTURE.md): core/ under src/ and web/; src/store and src/http under the modules.
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'web/dist/**', 'node_modules/**', 'test-results/**'] },
  {
    files: ['core/**/*.ts', 'src/**/*.ts', 'web/src/**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
    plugins: { 'import-x': importX },
    settings: {
      // The rule parses every imported file too; without a TypeScript parser for them it sees no imports and no cycle.
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      // Type-only imports count too: a type cycle is still two modules that cannot be read apart.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // The core floor is shared by the server and the browser: it imports neither.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './core', from: ['./src', './web'], message: 'core/ is the floor under src/ and web/: it imports neither.' },
            // The web reaches shared code through @core/ only; the server never imports the web app.
            { target: './web/src', from: './src', message: 'The web app imports shared code from @core/, never server files.' },
            { target: './src', from: './web', message: 'The server never imports the web app.' },
            // The store and HTTP toolkits sit under every module: they import only core/, src/lib/ and each other (src/app/ assembles the rest).
            {
              target: ['./src/store', './src/http'],
              from: './src',
              except: ['./store', './http', './lib'],
              message: 'src/store/ and src/http/ are toolkits under the modules: they import no module (assemble it in src/app/).',
            },
          ],
        },
      ],
    },
  },
  {
    // No module knows the dialect: SQL that differs lives behind src/store/dialect-sql.ts (one function per need).
    files: ['src/**/*.ts'],
    ignores: ['src/store/**', 'src/streams/migrations.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "BinaryExpression[operator=/^[!=]==?$/] > Literal[value=/^(postgres|sqlite)$/]",
          message: 'A dialect check outside src/store/: add a function to src/store/dialect-sql.ts and call it.',
        },
        {
          selector: "ImportSpecifier[imported.name=/^(PostgresAdapter|SqliteAdapter|PostgresDialect|SqliteDialect)$/]",
          message: 'A dialect check outside src/store/: add a function to src/store/dialect-sql.ts and call it.',
        },
        {
          selector: "SwitchCase > Literal[value=/^(postgres|sqlite)$/]",
          message: 'A dialect check outside src/store/: add a function to src/store/dialect-sql.ts and call it.',
        },
      ],
    },
  },
);
