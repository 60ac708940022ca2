/**
 * Counts of pairs of term ids (how often "multi-modal" was written), in one open-addressing
 * Int32Array of [a, b, count] slots. A Map keyed by `a * 2^26 + b` boxed every key as a heap
 * number and cost about a second of a 100k-paper build; this costs a few percent of that.
 */
export class PairCounts {
  private table = new Int32Array(3 << 10).fill(-1);
  private slots = 1 << 10;
  /** Distinct pairs held. */
  size = 0;

  private static hash(a: number, b: number): number {
    return Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
  }

  /** The slot holding (a, b), or the empty slot where it goes. */
  private find(a: number, b: number): number {
    const t = this.table;
    const mask = this.slots - 1;
    for (let s = PairCounts.hash(a, b) & mask; ; s = (s + 1) & mask) {
      const i = s * 3;
      if (t[i] === -1 || (t[i] === a && t[i + 1] === b)) return i;
    }
  }

  get(a: number, b: number): number {
    const i = this.find(a, b);
    return this.table[i] === -1 ? 0 : this.table[i + 2]!;
  }

  /** Adds `n` to the count of (a, b); ids are non-negative. */
  add(a: number, b: number, n = 1): void {
    let i = this.find(a, b);
    if (this.table[i] === -1) {
      if ((this.size + 1) * 2 > this.slots) {
        this.grow();
        i = this.find(a, b);
      }
      this.table[i] = a;
      this.table[i + 1] = b;
      this.table[i + 2] = 0;
      this.size++;
    }
    this.table[i + 2]! += n;
  }

  /** Calls `fn` with every pair and its count. */
  forEach(fn: (a: number, b: number, n: number) => void): void {
    const t = this.table;
    for (let i = 0; i < t.length; i += 3) if (t[i] !== -1) fn(t[i]!, t[i + 1]!, t[i + 2]!);
  }

  private grow(): void {
    const old = this.table;
    this.slots *= 2;
    this.table = new Int32Array(this.slots * 3).fill(-1);
    for (let i = 0; i < old.length; i += 3) {
      if (old[i] === -1) continue;
      const j = this.find(old[i]!, old[i + 1]!);
      this.table[j] = old[i]!;
      this.table[j + 1] = old[i + 1]!;
      this.table[j + 2] = old[i + 2]!;
    }
  }
}
