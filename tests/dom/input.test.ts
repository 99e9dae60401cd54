import { describe, expect, it, vi } from 'vitest';
import { createActions, handleKey, handleKeyUp } from '../../src-renderer/actions';
import { droppedPath, fileUrlToPath } from '../../src-renderer/drop-path';
import { parsePrefs, DEFAULT_PREFS } from '../../src-renderer/stores/ui';

function key(k: string, target: EventTarget = document.body, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key: k, cancelable: true, ...init });
  Object.defineProperty(event, 'target', { value: target });
  return event;
}

describe('shortcuts', () => {
  const step = vi.fn();
  const togglePlay = vi.fn();
  const actions = createActions({ step, togglePlay });

  it('maps arrows to frame steps and space to play, and stops the default', () => {
    const space = key(' ');
    expect(handleKey(space, actions)?.id).toBe('playback.toggle');
    expect(space.defaultPrevented).toBe(true);
    handleKey(key('ArrowLeft'), actions);
    handleKey(key('ArrowRight'), actions);
    expect(step.mock.calls).toEqual([[-1], [1]]);
    expect(togglePlay).toHaveBeenCalledOnce();
  });

  it('leaves keys alone while typing or with modifiers', () => {
    const input = document.createElement('input');
    expect(handleKey(key(' ', input), actions)).toBeNull();
    expect(handleKey(key('ArrowLeft', document.body, { ctrlKey: true }), actions)).toBeNull();
    const range = Object.assign(document.createElement('input'), { type: 'range' });
    expect(handleKey(key('ArrowLeft', range), actions)).toBeNull();
    const box = Object.assign(document.createElement('input'), { type: 'checkbox' });
    expect(handleKey(key(' ', box), actions)).toBeNull();
    expect(handleKey(key('ArrowRight', box), actions)?.id).toBe('frame.next');
    const up = key(' ', document.createElement('button'));
    handleKeyUp(up, actions);
    expect(up.defaultPrevented).toBe(true);
  });
});

describe('dropped paths', () => {
  function transfer(data: Record<string, string>, files: File[] = []): DataTransfer {
    return {
      files: { item: (i: number) => files[i] ?? null, length: files.length },
      getData: (type: string) => data[type] ?? '',
    } as unknown as DataTransfer;
  }

  it('uses the Electron bridge for dropped files', () => {
    const file = new File(['x'], 'clip.mp4');
    expect(droppedPath(transfer({}, [file]), { pathForFile: () => '/home/u/clip.mp4' })).toEqual({ path: '/home/u/clip.mp4' });
  });

  it('accepts file URLs and paths as text, and explains when the browser hides the path', () => {
    expect(droppedPath(transfer({ 'text/uri-list': '# c\nfile:///tmp/a%20b.mp4' }), undefined)).toEqual({ path: '/tmp/a b.mp4' });
    expect(fileUrlToPath('file:///C:/v/x.mp4')).toBe('C:/v/x.mp4');
    expect(fileUrlToPath('https://example.com/x.mp4')).toBeNull();
    const result = droppedPath(transfer({}, [new File(['x'], 'clip.mp4')]), undefined);
    expect('error' in result && result.error).toMatch(/clip\.mp4.*Video path/);
  });
});

describe('ui prefs', () => {
  it('keeps only valid stored values', () => {
    expect(parsePrefs('{"device":"cuda","split":"nope","defaultOpacity":3,"exportDir":"/d"}')).toEqual({
      ...DEFAULT_PREFS, device: 'cuda',
    });
    expect(parsePrefs('{broken')).toEqual(DEFAULT_PREFS);
  });
});
