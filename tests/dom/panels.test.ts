import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { mount } from '@vue/test-utils';
import { installApi } from '../../src-renderer/api';
import ErrorBanner from '../../src-renderer/components/ErrorBanner.vue';
import ProviderBadge from '../../src-renderer/components/ProviderBadge.vue';
import { useErrorStore } from '../../src-renderer/stores/errors';
import { useExportStore } from '../../src-renderer/stores/export';
import { usePrelabelStore } from '../../src-renderer/stores/prelabel';
import { useSessionStore } from '../../src-renderer/stores/session';
import { useUiStore } from '../../src-renderer/stores/ui';
import { createFakeApi, video } from './fake-api';

describe('export, provider badge and error banner', () => {
  let pinia: ReturnType<typeof createPinia>;
  beforeEach(() => {
    localStorage.clear();
    pinia = createPinia();
    setActivePinia(pinia);
  });

  it('exports the current video with the chosen split; the folder is main\'s choice, never sent', async () => {
    const fake = createFakeApi({
      'video:open': () => video('v'),
      'prelabel:result': () => null,
      'export:avss': () => ({ outDir: '/data/avss', uids: ['v_0_5000'], filesWritten: 12, rowsAdded: 1 }),
    });
    installApi(fake.api);
    await useSessionStore().open('/v.mp4');
    Object.assign(useUiStore().prefs, { split: 'val' });
    const result = await useExportStore().run();
    expect(fake.calls.at(-1)?.payload).toEqual({ videoId: 'v', split: 'val' });
    expect(result?.outDir).toBe('/data/avss');
  });

  it('turns a CPU fallback into a visible warning with the reason', () => {
    const prelabel = usePrelabelStore();
    prelabel.provider = { requested: 'cuda', active: 'cpu', available: ['cpu'], fallbackReason: 'libcudnn missing' };
    const wrapper = mount(ProviderBadge, { global: { plugins: [pinia] } });
    const badge = wrapper.get('[data-testid="provider-badge"]');
    expect(badge.attributes('role')).toBe('alert');
    expect(badge.classes()).toContain('warn');
    expect(badge.text()).toContain('libcudnn missing');
  });

  it('lists every error until dismissed', async () => {
    const errors = useErrorStore();
    errors.report('export:avss', { code: 'io', message: '/ro: read-only file system' });
    errors.report('prelabel', { code: 'model', message: 'bad model' });
    const wrapper = mount(ErrorBanner, { global: { plugins: [pinia] } });
    expect(wrapper.get('[role="alert"]').text()).toContain('/ro: read-only file system');
    await wrapper.get('button[aria-label="Dismiss: bad model"]').trigger('click');
    expect(errors.entries.map((e) => e.message)).toEqual(['/ro: read-only file system']);
  });
});
