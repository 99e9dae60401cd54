/** app:info. */
import { resolveFfmpeg } from '../../media';
import { appVersion } from '../../pipeline/app-paths';
import type { AppContext, DomainHandlers } from './context';

export function appHandlers(ctx: AppContext): DomainHandlers<'app'> {
  return {
    'app:info': async () => ({ version: appVersion(), mode: ctx.mode, ffmpeg: resolveFfmpeg().summary, providers: await ctx.host.providers() }),
  };
}
