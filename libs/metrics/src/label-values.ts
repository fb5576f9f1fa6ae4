/** What a label reads once its values are capped. */
export const OTHER_LABEL_VALUE = 'other';

/**
 * Keeps one label's values bounded: the first `maxValues` distinct values (each at most
 * `maxLength` characters) are kept, any later one reads `other`. Every label value is a time
 * series Prometheus keeps, so values that come from outside (a remote error's code, a target a
 * caller named) must not grow without end.
 */
export class LabelValues {
  private readonly seen = new Set<string>();

  constructor(
    private readonly maxValues = 100,
    private readonly maxLength = 100,
  ) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (value.length > this.maxLength || this.seen.size >= this.maxValues) return OTHER_LABEL_VALUE;
    this.seen.add(value);
    return value;
  }
}
