/**
 * The user's recent projects, in the app's settings file ({dataDir}/settings.json, written atomically). A broken
 * settings file is set aside and started afresh (it holds nothing the projects themselves do not).
 */
import { readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as v from 'valibot';
import type { RecentProject } from '../shared/ipc-contract';
import { atomicWriteFile } from '../util/atomic-write';
import { makeDirs } from '../util/make-dir';

const MAX_RECENT = 12;

const SettingsSchema = v.object({
  recentProjects: v.optional(v.array(v.strictObject({ dir: v.string(), name: v.string(), openedAt: v.string() })), []),
});
type Settings = v.InferOutput<typeof SettingsSchema>;

export class RecentProjects {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'settings.json');
  }

  async list(): Promise<RecentProject[]> {
    return (await this.read()).recentProjects;
  }

  /** Puts `dir` first (one entry per folder). */
  async touch(dir: string, name: string): Promise<void> {
    const settings = await this.read();
    const rest = settings.recentProjects.filter((p) => p.dir !== dir);
    settings.recentProjects = [{ dir, name, openedAt: new Date().toISOString() }, ...rest].slice(0, MAX_RECENT);
    // On a first run the data folder may not exist yet (no untitled project made it).
    await makeDirs(dirname(this.file));
    await atomicWriteFile(this.file, `${JSON.stringify(settings, null, 2)}\n`);
  }

  async remove(dir: string): Promise<void> {
    const settings = await this.read();
    const kept = settings.recentProjects.filter((p) => p.dir !== dir);
    if (kept.length === settings.recentProjects.length) return;
    settings.recentProjects = kept;
    await atomicWriteFile(this.file, `${JSON.stringify(settings, null, 2)}\n`);
  }

  private async read(): Promise<Settings> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return { recentProjects: [] };
    }
    try {
      return v.parse(SettingsSchema, JSON.parse(text));
    } catch {
      await rename(this.file, `${this.file}.broken`).catch(() => undefined);
      return { recentProjects: [] };
    }
  }
}
