import { payloadHash, stateHash } from '../src/digest';
import { GOOD_FIXTURES } from './support/fixtures';
import { fixtureDevices } from './support/pipeline';

/** Every leaf of a JSON value, as a path and the value there. */
function leaves(value: unknown, path: Array<string | number> = []): Array<[typeof path, unknown]> {
  if (value === null || typeof value !== 'object') return [[path, value]];
  const entries = Array.isArray(value)
    ? value.map((item, i): [number, unknown] => [i, item])
    : Object.entries(value);
  return entries.flatMap(([key, item]) => leaves(item, [...path, key]));
}

function withLeaf(value: unknown, path: Array<string | number>, leaf: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as typeof parent;
  parent[path[path.length - 1] as string | number] = leaf;
  return copy;
}

/** A different value of the same kind, and one of another kind. */
function others(leaf: unknown): unknown[] {
  if (typeof leaf === 'number') return [leaf + 1, String(leaf), null];
  if (typeof leaf === 'string') return [`${leaf}x`, leaf.slice(1), 0];
  if (typeof leaf === 'boolean') return [!leaf, String(leaf)];
  return [0, 'null', false];
}

const states = GOOD_FIXTURES.flatMap((name) =>
  fixtureDevices(name).map((device) => ({ name: `${name} ${device.id}`, state: device.state })),
);

describe('the digest of a state', () => {
  it.each(states.map((s) => [s.name, s.state]))(
    'is the same for %s read back from its JSON',
    (_name, state) => {
      expect(stateHash(JSON.parse(JSON.stringify(state)))).toBe(stateHash(state));
    },
  );

  it.each(states.map((s) => [s.name, s.state]))(
    'changes with every value of %s',
    (_name, state) => {
      const digest = stateHash(state);
      const seen = new Set([digest]);
      let variants = 0;
      for (const [path, leaf] of leaves(state)) {
        for (const other of others(leaf)) {
          const changed = stateHash(withLeaf(state, path, other));
          expect(changed).not.toBe(digest);
          seen.add(changed);
          variants += 1;
        }
      }
      // Different changes give different digests, too.
      expect(seen.size).toBe(variants + 1);
    },
  );

  it('writes values the way JSON does', () => {
    const same: Array<[unknown, unknown]> = [
      [{ a: 1, b: undefined }, { a: 1 }],
      [{ a: -0 }, { a: 0 }],
      [{ a: Number.NaN }, { a: null }],
      [{ a: Number.POSITIVE_INFINITY }, { a: null }],
      [
        [undefined, 1],
        [null, 1],
      ],
      [{ a: { toJSON: () => 'x' } }, { a: 'x' }],
      [
        { 2: 'b', 1: 'a' },
        { 1: 'a', 2: 'b' },
      ],
    ];
    for (const [left, right] of same) expect(stateHash(left)).toBe(stateHash(right));
  });

  it('keeps keys, kinds and nesting apart', () => {
    const apart: unknown[] = [
      { a: 1, b: 2 },
      { b: 1, a: 2 },
      { a: 2, b: 1 },
      { ab: 1 },
      { a: '1' },
      { a: [1] },
      { a: { b: 1 } },
      { a: { b: 1 }, c: {} },
      { a: {}, b: 1 },
      [1, 2],
      [[1], 2],
      [1, [2]],
      { a: true },
      { a: 'ON' },
      { a: null },
      {},
      [],
      '',
      null,
    ];
    expect(new Set(apart.map(stateHash)).size).toBe(apart.length);
  });

  it('is a 53-bit whole number', () => {
    for (const value of [{}, { a: 1 }, 'x'.repeat(5000)]) {
      const digest = stateHash(value);
      expect(Number.isSafeInteger(digest)).toBe(true);
      expect(digest).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('the digest of a text payload', () => {
  it('tells texts apart that differ anywhere, and in length', () => {
    const base = `{"name":"Battery power","state_topic":"predbat_bridge/gw/state"}`;
    const variants = new Set([base]);
    for (let i = 0; i < base.length; i++) {
      variants.add(`${base.slice(0, i)}#${base.slice(i + 1)}`);
      variants.add(`${base.slice(0, i)}${base.slice(i + 1)}`);
    }
    variants.add(`${base} `);
    expect(new Set([...variants].map(payloadHash)).size).toBe(variants.size);
    expect(payloadHash(base)).toBe(payloadHash(`${base}`));
  });
});
