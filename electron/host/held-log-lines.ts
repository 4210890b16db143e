/**
 * The host's log lines held back while the journal's check runs beside the desk's restore: written,
 * in order, once it said sound; dropped when it refused, so a refusal is one message on stderr, as
 * when the check refused before the desk opened the journal.
 */
export class HeldLogLines {
  private held: string[] | undefined = [];
  private dropped = false;

  constructor(private readonly out: (line: string) => void) {}

  readonly write = (line: string): void => {
    if (this.dropped) return;
    if (this.held !== undefined) this.held.push(line);
    else this.out(line);
  };

  /** Writes what was held; lines from now on go straight out. */
  release(): void {
    const held = this.held;
    this.held = undefined;
    if (!this.dropped) for (const line of held ?? []) this.out(line);
  }

  /** Drops what was held and every line from now on. */
  drop(): void {
    this.dropped = true;
    this.held = undefined;
  }
}
