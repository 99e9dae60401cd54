// The performance report: goals checked, the Markdown table and machine line, the registry, and one real run of
// the bench entry (the decode + forward floor benchmark only, one repetition) writing both report files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBenchLines } from '../../../src-main/bench/bench-ccformer';
import { simdFlags } from '../../../src-main/bench/machine';
import { benchMain } from '../../../src-main/bench/main';
import { registerBenchmark, registeredBenchmarks } from '../../../src-main/bench/registry';
import { goalMet, renderMarkdown, type BenchReport } from '../../../src-main/bench/report';
import { makeTempDir } from '../app-support/test-media';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

describe('performance report', () => {
  it('checks each figure against its goal', () => {
    expect(goalMet(0.8, '<= 1.0')).toBe(true);
    expect(goalMet(1.2, '<= 1.0')).toBe(false);
    expect(goalMet(12, '>= 10')).toBe(true);
    expect(goalMet(20, '< 20')).toBe(false);
    expect(goalMet(1.4e-6, '<= 1e-4')).toBe(true);
    expect(goalMet(3, 'info')).toBeNull();
    expect(goalMet(1500, '<= 2000 (background)')).toBe(true);
    const others = (name: string) => ({ copy_iou_1s: 0.39 } as Record<string, number>)[name];
    expect(goalMet(0.56, '> copy_iou_1s', others)).toBe(true);
    expect(goalMet(0.3, '> copy_iou_1s', others)).toBe(false);
    expect(goalMet(0.3, '> unknown_figure', others)).toBeNull();
    expect(goalMet(0.39, 'baseline')).toBeNull();
  });

  it('renders one table with the machine, its load, and met? per figure', () => {
    const report: BenchReport = {
      date: '2026-12-01T00:00:00Z',
      machine: { cpu: 'AMD EPYC', flags: ['avx2', 'fma'], cores: 2, memoryGiB: 24, os: 'linux 6', node: 'v20', loadBefore: 5.1, loadAfter: 4.2 },
      options: { device: 'cpu' },
      sections: [
        { id: 'a', title: 'first', seconds: 3, lines: [{ name: 'x_s', value: 1.5, unit: 's', goal: '<= 1.0', note: 'median | of 3' }, { name: 'y', value: 2e-6, unit: 'logit', goal: 'info' }] },
        { id: 'b', title: 'second', seconds: 1, lines: [], error: 'no .venv' },
      ],
    };
    const md = renderMarkdown(report);
    expect(md).toContain('on AMD EPYC, 2 cores (avx2, fma), 24 GiB');
    expect(md).toContain('5.1 before, 4.2 after: the machine was busy');
    expect(md).toContain('| figure | value | unit | goal | met? | note |');
    expect(md).toContain('| x_s | 1.5 | s | <= 1.0 | **no** | median \\| of 3 |');
    expect(md).toContain('| y | 2.00e-6 | logit | info |  |  |');
    expect(md).toContain('| **second** | failed |  |  | no | no .venv |');
  });

  it('reads the SIMD flags, the Python bench lines and refuses a benchmark registered twice', () => {
    expect(simdFlags('processor: 0\nflags\t\t: fpu sse4_2 avx avx2 fma avx512f\n')).toEqual(['sse4_2', 'avx', 'avx2', 'fma', 'avx512f']);
    expect(parseBenchLines('bench: warming up\n{"name": "t.eager_s", "value": 0.2, "unit": "s", "goal": null}\nnot json {\n'))
      .toEqual([{ name: 't.eager_s', value: 0.2, unit: 's', goal: 'info' }]);
    const ids = registeredBenchmarks().map((b) => b.id);
    expect(ids).toEqual(expect.arrayContaining(['project', 'prelabel', 'floor', 'click', 'audio-panel', 'propagation', 'editor', 'ccformer']));
    expect(new Set(ids).size).toBe(ids.length);
    expect(() => registerBenchmark({ id: 'floor', title: 'again', run: async () => [] })).toThrow(/registered twice/);
  });

  it('npm run bench writes the JSON report and the Markdown table', async () => {
    const json = join(tmp.dir, 'report.json');
    const md = join(tmp.dir, 'performance.md');
    const code = await benchMain(['--only', 'floor', '--runs', '1', '--size', '160x90', '--out', json, '--md', md]);
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
    expect(report.sections.map((s) => s.id)).toEqual(['floor']);
    expect(report.sections[0]!.lines.map((l) => l.name)).toEqual(['decode_10s_clip_s', 'forward_10s_clip_s', 'decode_plus_forward_floor_s']);
    for (const line of report.sections[0]!.lines) expect(line.value).toBeGreaterThan(0);
    expect(report.machine.cores).toBeGreaterThan(0);
    expect(typeof report.machine.loadAfter).toBe('number');
    expect(readFileSync(md, 'utf8')).toMatch(/\| forward_10s_clip_s \| [\d.]+ \| s \| info \|/);
  }, 60_000);
});
