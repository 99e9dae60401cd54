import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import NoticeArea from '../../src-renderer/components/NoticeArea.vue';
import ProviderBadge from '../../src-renderer/components/ProviderBadge.vue';
import { useErrorStore } from '../../src-renderer/stores/errors';
import { usePrelabelStore } from '../../src-renderer/stores/prelabel';

describe('provider badge and notices', () => {
  let pinia: ReturnType<typeof createPinia>;
  beforeEach(() => {
    localStorage.clear();
    pinia = createPinia();
    setActivePinia(pinia);
  });

  it('tags a CPU fallback on the badge and explains it once in the notices', async () => {
    const prelabel = usePrelabelStore();
    const notices = mount(NoticeArea, { global: { plugins: [pinia, ElementPlus] } });
    prelabel.provider = { requested: 'cuda', active: 'cpu', available: ['cpu'], fallbackReason: 'libcudnn missing' };
    const wrapper = mount(ProviderBadge, { global: { plugins: [pinia, ElementPlus] } });
    const badge = wrapper.get('[data-testid="provider-badge"]');
    expect(wrapper.get('.el-tag').classes()).toContain('el-tag--warning');
    expect(badge.text()).toContain('fallback from cuda');
    await notices.vm.$nextTick();
    useErrorStore().note('main', 'Running on CPU: libcudnn missing', 'warn'); // the same warning from main's log
    await notices.vm.$nextTick();
    const shown = notices.findAll('[data-testid="notice"]');
    expect(shown).toHaveLength(1);
    expect(shown[0]!.text()).toContain('libcudnn missing');
  });

  it('shows the provider details on click', async () => {
    const prelabel = usePrelabelStore();
    prelabel.provider = {
      requested: 'auto', active: 'cpu', available: ['cpu'], fallbackReason: 'No GPU provider could start (CUDA: cuDNN 9 not installed). Running on CPU; see GPU setup.',
      details: ['CUDA: found NVIDIA driver 550.54.15', 'CUDA: cuDNN 9 not installed; fix: apt install libcudnn9-cuda-12'],
    };
    const wrapper = mount(ProviderBadge, { global: { plugins: [pinia, ElementPlus] } });
    expect(wrapper.find('[data-testid="provider-details"]').exists()).toBe(false);
    await wrapper.get('.el-tag').trigger('click');
    const items = wrapper.get('[data-testid="provider-details"]').findAll('li').map((li) => li.text());
    expect(items).toEqual(['CUDA: found NVIDIA driver 550.54.15', 'CUDA: cuDNN 9 not installed; fix: apt install libcudnn9-cuda-12']);
    await wrapper.get('.el-tag').trigger('click');
    expect(wrapper.find('[data-testid="provider-details"]').exists()).toBe(false);
  });

  it('lists every error until dismissed, in one notices area', async () => {
    const errors = useErrorStore();
    errors.report('export:avss', { code: 'io', message: '/ro: read-only file system' });
    errors.report('prelabel', { code: 'model', message: 'bad model' });
    const wrapper = mount(NoticeArea, { global: { plugins: [pinia, ElementPlus] } });
    expect(wrapper.findAll('[data-testid="notice"]').map((n) => n.text())).toEqual([
      expect.stringContaining('/ro: read-only file system'), expect.stringContaining('bad model'),
    ]);
    await wrapper.findAll('[data-testid="notice"]')[1]!.get('.el-alert__close-btn').trigger('click');
    expect(errors.entries.map((e) => e.message)).toEqual(['/ro: read-only file system']);
  });
});
