/**
 * A small seeded PRNG (sfc32, seeded through cyrb128) so the same seed always
 * yields the same data set. Math.random is never used by the generator.
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** 32 random bits as an unsigned integer. */
  u32(): number;
}

function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

export function createRng(seed: string | number): Rng {
  let [a, b, c, d] = cyrb128(String(seed));
  const u32 = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm up: the first outputs of sfc32 are correlated with the seed.
  for (let i = 0; i < 15; i++) u32();
  const next = () => u32() / 4294967296;
  return {
    next,
    u32,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A version-4-shaped uuid drawn from the PRNG (deterministic, unlike crypto.randomUUID). */
export function uuidFrom(rng: Rng): string {
  const w0 = rng.u32(), w1 = rng.u32(), w2 = rng.u32(), w3 = rng.u32();
  const b = (w: number, s: number) => HEX[(w >>> s) & 0xff] as string;
  // join() yields a flat string; '+' chains would keep a rope of ~20 nodes per uuid in memory.
  return [
    b(w0, 24), b(w0, 16), b(w0, 8), b(w0, 0), '-',
    b(w1, 24), b(w1, 16), '-',
    HEX[0x40 | ((w1 >>> 8) & 0x0f)], b(w1, 0), '-',
    HEX[0x80 | ((w2 >>> 24) & 0x3f)], b(w2, 16), '-',
    b(w2, 8), b(w2, 0), b(w3, 24), b(w3, 16), b(w3, 8), b(w3, 0),
  ].join('');
}
