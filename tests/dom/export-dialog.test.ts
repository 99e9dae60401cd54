// The export dialog over a fake API boundary (jsdom has no main process): the request it builds for each
// split mode, the preview shown, and the export call carrying no path (main picks the folder).
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import { installApi } from '../../src-renderer/api';
import ExportDialog from '../../src-renderer/components/ExportDialog.vue';
import { useDatasetExportStore } from '../../src-renderer/stores/dataset-export';
import type { ExportRequest } from '../../src-main/shared/dataset-formats';
import { createFakeApi } from './fake-api';

const preview = { format: 'avss', clips: 2, frames: 20, objects: 3, classes: ['piano', 'woman'], splits: { train: 1, val: 0, test: 0 }, warnings: ['b: too short'] };

describe('ExportDialog', () => {
  let pinia: ReturnType<typeof createPinia>;
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
  });

  it('builds the request for each split mode', () => {
    const store = useDatasetExportStore();
    expect(store.request).toEqual({ format: 'avss', label: 'v2', split: { kind: 'all', split: 'train' } });
    store.mode = 'ratio';
    store.format = 'coco';
    expect(store.request).toEqual({ format: 'coco', split: { kind: 'ratio', train: 0.8, val: 0.1, test: 0.1, seed: 123 } });
    store.mode = 'per-video';
    store.perVideo['v1'] = 'test';
    expect(store.request.split).toEqual({ kind: 'per-video', splits: { v1: 'test' }, fallback: 'train' });
  });

  it('shows the preview, exports (no path unless one is typed), and shows the folder main wrote', async () => {
    const requests: ExportRequest[] = [];
    const fake = createFakeApi({
      'export:preview': (req: ExportRequest) => (requests.push(req), preview),
      'export:dataset': (req: ExportRequest) => ({ format: req.format, outDir: '/data/out', clips: 2, frames: 20, filesWritten: 42, replaced: 1, warnings: [], keys: ['a_0_10000', 'a_2000_12000'] }),
    } as never);
    installApi(fake.api);
    const wrapper = mount(ExportDialog, { props: { modelValue: true }, global: { plugins: [pinia] }, attachTo: document.body });
    await flushPromises();
    expect(requests).toHaveLength(1);
    const text = document.body.querySelector('[data-testid="export-preview"]')?.textContent ?? '';
    expect(text).toContain('20');
    expect(text).toContain('piano');
    expect(document.body.textContent).toContain('b: too short');
    (document.body.querySelector('[data-testid="export-run"]') as HTMLButtonElement).click();
    await flushPromises();
    const call = fake.calls.find((c) => c.channel === 'export:dataset')!;
    expect(call.payload).toEqual({ format: 'avss', label: 'v2', split: { kind: 'all', split: 'train' } });
    const folder = document.body.querySelector('[data-testid="export-result"]');
    expect(folder?.getAttribute('data-out-dir')).toBe('/data/out');
    expect(folder?.textContent).toContain('1 replaced, none duplicated');
    useDatasetExportStore().folder = ' /typed/here ';
    await useDatasetExportStore().run();
    expect(fake.calls.at(-1)?.payload).toMatchObject({ format: 'avss', outDir: '/typed/here' });
    wrapper.unmount();
  }, 20_000);
});
