/**
 * A small deterministic pseudo-random generator (mulberry32) for generated
 * test cases: the same seed gives the same cases on every run.
 */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** One element of a list. */
  pick<T>(list: readonly T[]): T;
  /** Random text mixing ASCII (reserved characters included), Latin-1, CJK and astral characters. */
  text(length: number): string;
}

const TEXT_POOLS = [
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  '-._~!*\'()@:/?#[]&=+$,;% "<>\\^`{|}',
  'éèàçñüßøÅ€£¥©',
  '日本語中文한국어',
  '😀🚀𝄞',
];

/**
 * @param seed - any 32-bit integer
 */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[int(0, list.length - 1)]!;
  const text = (length: number): string => {
    let out = '';
    for (let i = 0; i < length; i++) {
      const pool = pick(TEXT_POOLS);
      out += pick([...pool]);
    }
    return out;
  };
  return { next, int, pick, text };
}
