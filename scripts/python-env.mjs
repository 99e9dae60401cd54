// Where the project's Python environment lives; shared by the setup, test and bench scripts.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const venvDir = join(repoRoot, '.venv');
export const pythonInVenv = process.platform === 'win32'
  ? join(venvDir, 'Scripts', 'python.exe')
  : join(venvDir, 'bin', 'python');
