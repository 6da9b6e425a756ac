import type { OutputLine } from '../api/types';

/**
 * Keeps a task's log complete and in order. A websocket `log` message only says "there is more";
 * the lines themselves are read with `/output?offset=<lines held>`, at most one request at a time,
 * so a line is never shown twice or out of order, however fast the task prints.
 */
export class LogFollower {
  private held = 0;
  private inFlight = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly fetchPage: (offset: number, limit: number) => Promise<OutputLine[]>,
    private readonly onLines: (lines: OutputLine[]) => void,
    private readonly pageSize = 100_000,
  ) {}

  get lines(): number {
    return this.held;
  }

  /** Reads everything new now (or right after the read in progress). */
  poke(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return Promise.resolve();
    }
    return this.read();
  }

  stop() {
    this.stopped = true;
  }

  private async read(): Promise<void> {
    this.inFlight = true;
    try {
      do {
        this.again = false;
        for (;;) {
          const page = await this.fetchPage(this.held, this.pageSize);
          if (this.stopped) {
            return;
          }
          if (page.length > 0) {
            this.held += page.length;
            this.onLines(page);
          }
          if (page.length < this.pageSize) {
            break;
          }
        }
      } while (this.again && !this.stopped);
    } finally {
      this.inFlight = false;
    }
  }
}
