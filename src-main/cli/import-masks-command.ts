/**
 * `avs-annotator import-masks VIDEO MASK_DIR --project DIR`: a folder of per-frame label PNGs (palette, class
 * index or AVSS colours; `{k}.png`, k = the 0-based sampled frame) into VIDEO of a project (created if missing;
 * the video is added when it is not in it yet). Every file is checked against the video before the project is
 * opened, so a bad one is named (exit 2) and nothing is written. Each imported frame is a new revision.
 */
import { frameSampleTimes, probeVideo } from '../media';
import { checkMaskFolder } from '../project/mask-folder-import';
import { userPath } from '../util/user-path';
import { createAppCore } from '../ipc/app-core';
import { parse, UsageError, type CliIo, PROG } from './cli-io';
import { checkOutDir } from './cli-support';
import { existingDir } from './dataset-commands';
import { browserDialogs } from './serve-command';

export const IMPORT_MASKS_HELP = `Usage: ${PROG} import-masks VIDEO MASK_DIR --project DIR [--json]

Imports a folder of per-frame label PNGs into VIDEO of the project DIR (created if missing; the video is added
if it is not in the project yet). MASK_DIR holds one PNG per sampled frame to import, named {k}.png, {k:05}.png
or {prefix}_{k}.png, where k is the 0-based sampled frame (second k: the frame the editor shows for it);
frames without a file are kept as they are. A PNG is a palette image (VOC colours: index = AVSS class), an
8-bit class-index image (0..70) or an RGB image in the AVSS palette colours, at the video's display size.
Pixels of one class become one object (sounding in the seconds where it has pixels); locked objects are kept.
Every file is checked first: a bad one is named on one line (exit 2) and nothing is written.
  --project DIR  project folder
  --json         print the result as JSON on stdout
`;

export async function runImportMasks(argv: string[], io: CliIo, signal: AbortSignal): Promise<number> {
  const { values, positionals } = parse('import-masks', argv, { project: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 2) throw new UsageError('import-masks: give VIDEO and MASK_DIR');
  if (!values.project) throw new UsageError('import-masks: --project DIR is required');
  const videoFile = userPath(positionals[0]!);
  const maskDir = await existingDir(positionals[1]!);
  const projectDir = userPath(values.project);
  await checkOutDir(projectDir);
  // Checked against the video before the project is touched: bad input writes nothing.
  const probe = await probeVideo(videoFile);
  const frames = frameSampleTimes(probe).length;
  if (frames === 0) throw new UsageError('is shorter than one second: no frame to label', videoFile);
  await checkMaskFolder(maskDir, { frames, width: probe.width, height: probe.height }, signal);
  const core = await createAppCore({ mode: 'browser', dialogs: browserDialogs(projectDir) });
  try {
    const project = await core.openProject(projectDir, { create: true });
    if (project.readOnly) throw new UsageError(`is open read-only: ${project.readOnly.reason}`, projectDir);
    const video = await core.openVideo(videoFile);
    const summary = await core.importMasks(video.videoId, maskDir, { signal });
    if (values.json) io.stdout(`${JSON.stringify({ project: projectDir, video: videoFile, ...summary })}\n`);
    else {
      io.stdout(`Imported ${summary.frames} mask(s) from ${maskDir} into ${videoFile} (project ${projectDir}): ${summary.changed} frame(s) changed, ` +
        `${summary.objectsAdded} object(s) added${summary.classes.length ? `; classes: ${summary.classes.join(', ')}` : ''}\n`);
    }
    return 0;
  } finally {
    await core.dispose();
  }
}
