import { describe, expect, it } from 'vitest';
import { assignHoldout } from './holdout.js';

function members(counts: Record<string, number>) {
  return Object.entries(counts).flatMap(([tier, n]) =>
    Array.from({ length: n }, (_, i) => ({ customerId: `${tier}-${String(i).padStart(5, '0')}`, tier })),
  );
}

describe('assignHoldout', () => {
  const list = members({ high: 300, medium: 500, low: 200 });

  it('holds out the share within every tier', () => {
    const groups = assignHoldout(list, 0.1, 7);
    expect(groups.size).toBe(1000);
    for (const [tier, n] of [
      ['high', 300],
      ['medium', 500],
      ['low', 200],
    ] as const) {
      const control = list.filter((m) => m.tier === tier && groups.get(m.customerId) === 'control').length;
      expect(control, tier).toBe(Math.round(0.1 * n));
    }
  });

  it('gives the same groups for the same seed whatever the input order, and others for another seed', () => {
    const a = assignHoldout(list, 0.2, 42);
    const b = assignHoldout([...list].reverse(), 0.2, 42);
    const c = assignHoldout(list, 0.2, 43);
    const controls = (g: Map<string, string>) =>
      [...g]
        .filter(([, group]) => group === 'control')
        .map(([id]) => id)
        .sort();
    expect(controls(b)).toEqual(controls(a));
    expect(controls(c)).not.toEqual(controls(a));
  });

  it('draws the control group at random within a tier, not from one end of the id order', () => {
    const groups = assignHoldout(members({ high: 1000 }), 0.5, 3);
    const firstHalf = [...groups].filter(([id, g]) => g === 'control' && id < 'high-00500').length;
    // Binomial(500, 0.5)-like: far from 0 or 500.
    expect(firstHalf).toBeGreaterThan(200);
    expect(firstHalf).toBeLessThan(300);
  });

  it('holds out nothing at share 0 and rejects a share of 1 or a repeated customer', () => {
    expect([...assignHoldout(list, 0, 1).values()].every((g) => g === 'treated')).toBe(true);
    expect(() => assignHoldout(list, 1, 1)).toThrow(/controlShare=1/);
    expect(() => assignHoldout([list[0], list[0]], 0.1, 1)).toThrow(/listed twice/);
  });
});
