// The sound-event timeline and the checks panel in jsdom: cells reflect the sounding flags (aria-pressed),
// click / drag / keys make the right object:update edits, checks jump to their frame and object.
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import SoundTimeline from '../../src-renderer/components/audio/SoundTimeline.vue';
import ChecksPanel from '../../src-renderer/components/audio/ChecksPanel.vue';
import type { Edit, ProjectObject } from '../../src-main/shared/project-model';

const dog: ProjectObject = { id: 4, classIndex: 5, visible: true, locked: false, z: 0, sounding: [true, false, false, false, true] };
const cat: ProjectObject = { id: 7, classIndex: 9, visible: true, locked: true, z: 1, sounding: [false, false, false, false, false] };

function timeline() {
  return mount(SoundTimeline, {
    props: { videoId: 'v1', objects: [dog, cat], seconds: 5, currentSecond: 1, pxPerSec: 20, scrollSec: 0, width: 400 },
    attachTo: document.body,
  });
}
const cell = (w: ReturnType<typeof timeline>, id: number, s: number) => w.get(`[data-testid="sound-cell"][data-object-id="${id}"][data-second="${s}"]`);
const sounding = (edit: Edit | undefined): boolean[] | undefined => (edit?.op === 'object:update' ? edit.changes.sounding : undefined);

describe('sound timeline', () => {
  it('one cell per object and second, pressed where the object sounds', () => {
    const w = timeline();
    expect(w.findAll('[data-testid="sound-cell"]')).toHaveLength(10);
    expect(cell(w, 4, 0).attributes('aria-pressed')).toBe('true');
    expect(cell(w, 4, 1).attributes('aria-pressed')).toBe('false');
    // On the audio panel's axis: second s starts at (s - scrollSec) * pxPerSec and is pxPerSec wide.
    expect(cell(w, 4, 3).attributes('style')).toContain('left: 60px');
    expect(cell(w, 4, 3).attributes('style')).toContain('width: 20px');
    w.unmount();
  });

  it('a click toggles one second; a drag sets the run to the first cell\'s new value', async () => {
    const w = timeline();
    await cell(w, 4, 1).trigger('pointerdown');
    await w.get('[data-testid="sound-timeline"]').trigger('pointerup');
    expect(sounding(w.emitted('edit')![0]![0] as Edit)).toEqual([true, true, false, false, true]);
    await cell(w, 4, 1).trigger('pointerdown');
    await cell(w, 4, 2).trigger('pointerenter');
    await cell(w, 4, 3).trigger('pointerenter');
    expect(cell(w, 4, 3).classes()).toContain('on'); // previewed while dragging
    await w.get('[data-testid="sound-timeline"]').trigger('pointerup');
    const edit = w.emitted('edit')![1]![0] as Edit;
    expect(edit).toMatchObject({ op: 'object:update', videoId: 'v1', objectId: 4 });
    expect(sounding(edit)).toEqual([true, true, true, true, true]);
    w.unmount();
  });

  it('keys: Space toggles, X silences, S sounds, arrows seek; a locked object is not edited', async () => {
    const w = timeline();
    await cell(w, 4, 0).trigger('keydown', { key: 'x' });
    expect(sounding(w.emitted('edit')![0]![0] as Edit)).toEqual([false, false, false, false, true]);
    await cell(w, 4, 2).trigger('keydown', { key: 's' });
    expect(sounding(w.emitted('edit')![1]![0] as Edit)).toEqual([true, false, true, false, true]);
    await cell(w, 4, 2).trigger('keydown', { key: 'ArrowRight' });
    expect(w.emitted('seek')![0]).toEqual([3]);
    await cell(w, 7, 0).trigger('keydown', { key: ' ' });
    await cell(w, 7, 0).trigger('pointerdown');
    await w.get('[data-testid="sound-timeline"]').trigger('pointerup');
    expect(w.emitted('edit')).toHaveLength(2);
    w.unmount();
  });
});

describe('checks panel', () => {
  it('lists the items and jumps to their frame and object; the listening result flags seconds', async () => {
    const w = mount(ChecksPanel, {
      props: {
        items: [
          { kind: 'mask-silent', frame: 3, objectId: 4, message: 'dog has a mask in second 3 but is marked silent' },
          { kind: 'unreviewed', frame: 5, message: 'frame 5 is not reviewed' },
        ],
        listen: { videoId: 'v1', start: 0, threshold: 0.1, seconds: [{ index: 0, labelled: 50, changed: 0.02, flagged: true }, { index: 1, labelled: 40, changed: 0.8, flagged: false }] },
        busy: false, canListen: true,
      },
      global: { plugins: [ElementPlus] },
    });
    const items = w.findAll('[data-testid="check-item"]');
    expect(items).toHaveLength(2);
    await items[0]!.trigger('click');
    expect(w.emitted('select')![0]).toEqual([{ frame: 3, objectId: 4 }]);
    await w.get('[data-testid="listen-check"]').trigger('click');
    expect(w.emitted('listen')).toHaveLength(1);
    expect(w.get('[data-second="0"]').attributes('data-flagged')).toBe('true');
    expect(w.get('[data-second="0"]').text()).toContain('does not depend on the sound');
    // The filter is an Element Plus select: pick through its v-model, as its dropdown does.
    await w.findComponent({ name: 'ElSelect' }).setValue('unreviewed');
    expect(w.findAll('[data-testid="check-item"]')).toHaveLength(1);
  });
});
