/**
 * Which share of a job list this process runs: `--shard i/N` (0-based i), or the cluster's array variables
 * (Slurm job arrays: SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT; Kubernetes Indexed
 * Jobs: JOB_COMPLETION_INDEX with the count from --shards N or AVS_SHARD_COUNT, as Kubernetes does not export
 * it). Items are dealt round-robin over the list sorted by path, so every shard gets a fair, stable share
 * whatever order the files were listed in.
 */
import { UsageError } from './cli-io';

export interface Shard {
  index: number;
  count: number;
}

function int(text: string | undefined, what: string): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`${what} must be a whole number, got "${text}"`);
  return Number(text);
}

export function resolveShard(option: string | undefined, shards: string | undefined, env: NodeJS.ProcessEnv = process.env): Shard | undefined {
  let shard: Shard | undefined;
  if (option !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(option);
    if (!m) throw new UsageError(`--shard must be i/N (0-based i, e.g. 0/3), got "${option}"`);
    shard = { index: Number(m[1]), count: Number(m[2]) };
  } else if (env['SLURM_ARRAY_TASK_ID'] !== undefined && env['SLURM_ARRAY_TASK_COUNT'] !== undefined) {
    const id = int(env['SLURM_ARRAY_TASK_ID'], 'SLURM_ARRAY_TASK_ID')!;
    const min = int(env['SLURM_ARRAY_TASK_MIN'], 'SLURM_ARRAY_TASK_MIN') ?? 0;
    shard = { index: id - min, count: int(env['SLURM_ARRAY_TASK_COUNT'], 'SLURM_ARRAY_TASK_COUNT')! };
  } else if (env['JOB_COMPLETION_INDEX'] !== undefined) {
    const count = int(shards, '--shards') ?? int(env['AVS_SHARD_COUNT'], 'AVS_SHARD_COUNT');
    if (count === undefined) throw new UsageError('JOB_COMPLETION_INDEX is set: give the shard count with --shards N (or AVS_SHARD_COUNT)');
    shard = { index: int(env['JOB_COMPLETION_INDEX'], 'JOB_COMPLETION_INDEX')!, count };
  }
  if (shard && (shard.count < 1 || shard.index < 0 || shard.index >= shard.count)) {
    throw new UsageError(`shard ${shard.index}/${shard.count} is out of range (0 <= i < N)`);
  }
  return shard;
}

/** The items of shard `shard` (all when undefined), round-robin over the sorted list. */
export function shardItems<T extends string>(items: readonly T[], shard: Shard | undefined): T[] {
  const sorted = [...items].sort();
  return shard ? sorted.filter((_, i) => i % shard.count === shard.index) : sorted;
}

/** Each shard writes its own dataset: `{out}/shard-{i}-of-{N}` (merge them with `avs-annotator merge`). */
export function shardOutDir(out: string, shard: Shard | undefined): string {
  if (!shard) return out;
  const w = String(shard.count).length;
  return `${out}/shard-${String(shard.index).padStart(w, '0')}-of-${shard.count}`;
}
