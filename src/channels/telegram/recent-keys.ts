/**
 * A bounded set of recently seen keys, oldest forgotten first: remembers what this process already
 * answered where nothing may be stored (a chat with no conversation).
 *
 * @example
 * const seen = new RecentKeys(1000);
 * seen.add('tg:1:42'); // true
 * seen.add('tg:1:42'); // false: seen before
 */
export class RecentKeys {
  private readonly keys = new Set<string>();

  constructor(private readonly capacity: number) {}

  /** Adds the key; false when it was already there. */
  add(key: string): boolean {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    // A Set iterates in insertion order: the first key is the oldest.
    if (this.keys.size > this.capacity)
      for (const oldest of this.keys) {
        this.keys.delete(oldest);
        break;
      }
    return true;
  }
}
