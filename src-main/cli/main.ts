/**
 * `avs-annotator`: the headless way in. Every command goes through the same core as the UI (pipeline, dataset
 * writer, inference host), so the CLI is also the quickest end-to-end check of the app.
 * Exit codes: 0 ok, 1 internal error, 2 bad input, 130 interrupted.
 */
import { appVersion } from '../pipeline/app-paths';
import { toApiError } from '../pipeline/app-error';
import { errorLine, processIo, UsageError, type CliIo, PROG } from './cli-io';
import { runDemo, DEMO_HELP } from './demo-command';
import { runDoctor, DOCTOR_HELP } from './doctor-command';
import { runExport, EXPORT_HELP } from './export-command';
import { runPrelabel, PRELABEL_HELP } from './prelabel-command';
import { runServe, SERVE_HELP } from './serve-command';

const HELP = `Usage: ${PROG} <command> [options]

Pre-label sounding objects in videos with CCFormer and export AVSBench datasets.

Commands:
  prelabel VIDEO... --project DIR | --out DIR
                                pre-label videos into a project and/or an AVSS dataset
  serve [--project DIR]         run the annotator UI in your browser (127.0.0.1 only)
  export PROJECT --out DIR      write a project's videos as an AVSS dataset
  demo                          pre-label the bundled sample, write its dataset, open the UI
  doctor                        which GPU providers work here, what is missing, how fast each is

Options:
  -h, --help      show help (also \`${PROG} <command> --help\`)
  -v, --version   print the version

Run \`${PROG} <command> --help\` for a command's options.
`;

type Command = (argv: string[], io: CliIo, signal: AbortSignal) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  prelabel: { run: runPrelabel, help: PRELABEL_HELP },
  serve: { run: runServe, help: SERVE_HELP },
  export: { run: runExport, help: EXPORT_HELP },
  demo: { run: runDemo, help: DEMO_HELP },
  doctor: { run: runDoctor, help: DOCTOR_HELP },
};

/** Runs the CLI; never throws. `signal` lets a caller (tests, SIGINT) stop a running command. */
export async function main(argv: string[], io: CliIo = processIo, signal?: AbortSignal): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    io.stdout(HELP);
    return first === undefined ? 2 : 0;
  }
  if (first === '-v' || first === '--version') {
    io.stdout(`${appVersion()}\n`);
    return 0;
  }
  const command = COMMANDS[first];
  if (!command) {
    io.stderr(errorLine(`unknown command "${first}" (try ${PROG} --help)`));
    return 2;
  }
  if (rest.includes('-h') || rest.includes('--help')) {
    io.stdout(command.help);
    return 0;
  }
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  signal?.addEventListener('abort', onSigint, { once: true });
  // Ctrl+C and a plain `kill` both stop the command cleanly: the work folder is removed, nothing half-written, and
  // an open project is flushed and closed (every edit saved, its lock released) by the command's core.dispose().
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  try {
    return await command.run(rest, io, controller.signal);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(errorLine(err.message));
      return 2;
    }
    const apiError = toApiError(err);
    if (apiError.code === 'cancelled') {
      io.stderr(errorLine('interrupted; nothing was written'));
      return 130;
    }
    io.stderr(errorLine(apiError.message));
    // Media, model and input problems are the user's to fix (exit 2); anything else is our bug (exit 1).
    return ['bad-input', 'not-found', 'media', 'model', 'io', 'unsupported'].includes(apiError.code) ? 2 : 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigint);
    signal?.removeEventListener('abort', onSigint);
  }
}
