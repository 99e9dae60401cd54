/**
 * CLI plumbing shared by the commands: output streams (injectable so tests call main(argv) in-process),
 * the one-line error rule, and argument parsing on node:util parseArgs (no extra dependency).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal: progress redraws one line instead of printing many. */
  isTty: boolean;
}

export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  isTty: Boolean(process.stderr.isTTY),
};

export const PROG = 'avs-annotator';

/**
 * A user error: printed as ONE line `avs-annotator: error: <file>: <problem>` (file omitted when there is none),
 * exit code 2. Anything else that escapes a command is a bug and exits 1 with the same one-line shape.
 */
export class UsageError extends Error {
  constructor(message: string, readonly file?: string) {
    super(file ? `${file}: ${message}` : message);
    this.name = 'UsageError';
  }
}

export function errorLine(message: string): string {
  // One line, whatever the cause carried (ffmpeg and onnxruntime messages can span lines).
  return `${PROG}: error: ${message.replace(/\s*\n\s*/g, ' ').trim()}\n`;
}

export type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs in strict mode, with its errors turned into UsageError lines that name the command. */
export function parse<O extends Options>(command: string, argv: string[], options: O): ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    const text = (err as Error).message.split('\n')[0] ?? 'bad arguments';
    throw new UsageError(`${command}: ${text.replace(/\. To specify a positional argument.*$/, '')}`);
  }
}

/** Parses --port: an integer 0..65535 (0 = any free port). */
export function portOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got ${value}`);
  return n;
}
