/** model:info / model:open, and the model in use (the bundled one until the user opens another). */
import { resolve } from 'node:path';
import type { ModelInfo } from '../../shared/ipc-contract';
import { loadModelContract } from '../../inference/onnx-metadata';
import { AppError } from '../../pipeline/app-error';
import type { AppContext, DomainHandlers, ModelSlot } from './context';

export class ModelFileSlot implements ModelSlot {
  info: ModelInfo | null = null;
  file: string | null = null;
  problem = 'no model is loaded: open an ONNX model first';

  async load(path: string): Promise<ModelInfo> {
    const file = resolve(path);
    const contract = await loadModelContract(file);
    this.info = { ...contract, fileName: file.split(/[\\/]/).pop() ?? file };
    this.file = file;
    return this.info;
  }

  require(): { info: ModelInfo; file: string } {
    if (!this.info || !this.file) throw new AppError('model', this.problem);
    return { info: this.info, file: this.file };
  }
}

export function modelHandlers(ctx: AppContext): DomainHandlers<'model'> {
  return {
    'model:info': async () => ctx.models.require().info,
    'model:open': async ({ path }) => {
      const chosen = path ?? (await ctx.dialogs.pickModel());
      return chosen ? ctx.models.load(chosen) : null;
    },
  };
}
