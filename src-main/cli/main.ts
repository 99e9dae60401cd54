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
import { IMPORT_MASKS_HELP, runImportMasks } from './import-masks-command';
import { runPrelabel, PRELABEL_HELP } from './prelabel-command';
import { runServe, SERVE_HELP } from './serve-command';
import { MERGE_HELP, runMerge, runValidate, VALIDATE_HELP } from './dataset-commands';

const HELP = `Usage: ${PROG} <command> [options]

Pre-label sounding objects in videos with CCFormer and export AVSBench datasets.

Commands:
  prelabel VIDEO... --project DIR | --out DIR
                                pre-label videos into a project and/or an AVSS dataset
  serve [--project DIR]         run the annotator UI in your browser (127.0.0.1 only)
  export PROJECT --out DIR [--format F]
                                write a project (or convert a dataset) as avss|s4|ms3|coco|voc|davis|ytvos
  import-masks VIDEO MASK_DIR --project DIR
                                import per-frame palette/class-index PNGs as a video's masks
  demo                          pre-label the bundled sample, write its dataset, open the UI
  doctor                        which GPU providers work here, what is missing, how fast each is
  validate DIR                  check a dataset (any supported layout) and list every problem
  merge DIR... --out DIR        join datasets (e.g. cluster shards) without duplicates

Options:
  -h, --help      show help (also \`${PROG} <command> --help\`)
  -v, --version   print the version

Run \`${PROG} <command> --help\` for a command's options.
`;

/** How long a command may take to wind down after Ctrl+C before the process exits regardless. */
const SIGNAL_GRACE_MS = 5000;

function forceExit(io: CliIo): never {
  io.stderr(errorLine('interrupted'));
  process.exit(130);
}

type Command = (argv: string[], io: CliIo, signal: AbortSignal) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  prelabel: { run: runPrelabel, help: PRELABEL_HELP },
  serve: { run: runServe, help: SERVE_HELP },
  export: { run: runExport, help: EXPORT_HELP },
  'import-masks': { run: runImportMasks, help: IMPORT_MASKS_HELP },
  demo: { run: runDemo, help: DEMO_HELP },
  doctor: { run: runDoctor, help: DOCTOR_HELP },
  validate: { run: (argv, io) => runValidate(argv, io), help: VALIDATE_HELP },
  merge: { run: runMerge, help: MERGE_HELP },
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
  const onAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  // Ctrl+C and a plain `kill` both stop the command cleanly (the work folder is removed, children killed,
  // nothing half-written, an open project flushed and closed by the command's core.dispose()) and exit 130. Should the command not wind down within the grace period, or a second
  // signal come, the process exits 130 anyway: exit hooks kill the children and remove the work folder.
  let interrupted = false;
  const onSignal = (): void => {
    if (interrupted) forceExit(io);
    interrupted = true;
    controller.abort();
    setTimeout(() => forceExit(io), SIGNAL_GRACE_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const code = await command.run(rest, io, controller.signal);
    return interrupted ? 130 : code;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(errorLine(err.message));
      return 2;
    }
    const apiError = toApiError(err);
    // Whatever error a cancel surfaced as (a killed ffmpeg, a stopped worker), a cancel is a cancel.
    if (apiError.code === 'cancelled' || controller.signal.aborted) {
      io.stderr(errorLine('interrupted; nothing was written'));
      return 130;
    }
    io.stderr(errorLine(apiError.message));
    // Media, model and input problems are the user's to fix (exit 2); anything else is our bug (exit 1).
    return ['bad-input', 'not-found', 'media', 'model', 'io', 'unsupported'].includes(apiError.code) ? 2 : 1;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    signal?.removeEventListener('abort', onAbort);
  }
}
