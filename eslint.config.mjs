// Flat config: typescript-eslint + eslint-plugin-vue, plus the layering rules from docs/architecture.md
// (layers by runtime, enforced by lint: VS Code's `code-layering`, Excalidraw's import restrictions).
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';

// Only src-main/electron/ may touch Electron: everything else stays plain Node so vitest can run it here.
const noElectron = { name: 'electron', message: 'Only src-main/electron/ may import electron.' };
const electronSubpaths = { group: ['electron/*'], message: 'Only src-main/electron/ may import electron.' };
// The shared contract and the renderer must run without Node (renderer: sandboxed Chromium).
const noNode = { regex: '^node:', message: 'This layer must not depend on Node built-ins.' };
const nodeBuiltins = {
  group: ['fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'stream', 'crypto', 'http', 'net', 'url', 'zlib'],
  message: 'This layer must not depend on Node built-ins.',
};
// The renderer reaches main only through the typed API; it may import types/values from src-main/shared only.
const rendererToMain = {
  regex: '(^|/)src-main/(?!shared(/|$))',
  message: 'src-renderer may import from src-main/shared only; go through the AvsApi bridge.',
};

export default defineConfig(
  {
    ignores: [
      'dist/**', 'out/**', 'release/**', 'node_modules/**', '.venv/**', 'models/**', 'coverage/**',
      'test-results/**', 'playwright-report/**', '.bench/**', '**/*.d.ts.map',
    ],
  },
  tseslint.configs.recommended,
  pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [electronSubpaths] }],
    },
  },
  {
    files: ['src-main/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [electronSubpaths, noNode, nodeBuiltins] }],
    },
  },
  {
    files: ['src-renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noElectron], patterns: [electronSubpaths, noNode, nodeBuiltins, rendererToMain] },
      ],
    },
  },
  {
    // The editor core is plain TypeScript on the project document: no UI framework, so every tool runs headless.
    files: ['src-renderer/editor/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            electronSubpaths, noNode, nodeBuiltins, rendererToMain,
            {
              group: ['vue', 'vue/*', 'pinia', 'konva', 'konva/*', 'vue-konva', 'element-plus', 'element-plus/*', 'lucide-vue-next', '*.vue', '../stores/*', '../components/*'],
              message: 'src-renderer/editor/ is the editor core: no Vue, Pinia, Konva or components (see docs/architecture.md).',
            },
          ],
        },
      ],
    },
  },
  {
    // The Electron edge: main entry, preload, protocol and IPC wrappers.
    files: ['src-main/electron/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Node scripts and configs are plain ESM; allow require-style interop where a CJS tool needs it.
    files: ['scripts/**', 'bin/**', '*.config.*'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
