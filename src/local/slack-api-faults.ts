import type { ServerResponse } from 'node:http';
/**
 * `answerLost502`: the call is carried out (the message posted, the file stored) and then answered
 * 502, as when a proxy loses Slack's answer: the client cannot know the call succeeded.
 */
export type FaultKind = 'http500' | 'ratelimited429' | 'timeout' | 'error' | 'answerLost502';

export interface FaultSpec {
  /**
   * A Web API method (`chat.postMessage`), `'*'` for every Web API method, or one of the non-API
   * endpoints by name: `'response_url'`, `'file_upload'` (the upload_url POST).
   */
  method: string;
  kind: FaultKind;
  /** For `error`: the `error` of the `{ok:false}` answer (default `internal_error`). */
  error?: string;
  /** For `ratelimited429`: the Retry-After header in seconds (default 1). */
  retryAfter?: number;
  /** Fire this many times, then retire (default: until cleared). */
  times?: number;
  /** Fire on every Nth matching request only (default 1: every request). */
  every?: number;
  /** For `timeout`: how long the request is held before its socket is dropped (default 30 s). */
  holdMs?: number;
}

export interface Fault extends Readonly<FaultSpec> {
  /** How many requests this fault has answered. */
  readonly fired: number;
  remove(): void;
}

interface ActiveFault {
  spec: FaultSpec;
  seen: number;
  fired: number;
}

const NON_API = new Set(['response_url', 'file_upload']);

export class FaultInjector {
  private active: ActiveFault[] = [];

  add(spec: FaultSpec): Fault {
    if ((spec.every ?? 1) < 1 || (spec.times ?? 1) < 1) throw new RangeError('every and times must be ≥ 1');
    const entry: ActiveFault = { spec: { ...spec }, seen: 0, fired: 0 };
    this.active.push(entry);
    const remove = () => {
      this.active = this.active.filter((f) => f !== entry);
    };
    return {
      ...entry.spec,
      remove,
      get fired() {
        return entry.fired;
      },
    };
  }

  clear(): void {
    this.active = [];
  }

  /** The fault that answers this request, if any; counts the request against every matching fault. */
  take(method: string): FaultSpec | undefined {
    let hit: ActiveFault | undefined;
    for (const f of this.active) {
      const matches = f.spec.method === method || (f.spec.method === '*' && !NON_API.has(method));
      if (!matches) continue;
      f.seen += 1;
      if (!hit && f.seen % (f.spec.every ?? 1) === 0) hit = f;
    }
    if (!hit) return undefined;
    hit.fired += 1;
    if (hit.fired >= (hit.spec.times ?? Number.POSITIVE_INFINITY)) {
      const done = hit;
      this.active = this.active.filter((f) => f !== done);
    }
    return hit.spec;
  }
}

/** Never answers: the client's own timeout must fire. Bounded so a test cannot leak a socket. */
export function holdUnanswered(held: Set<ServerResponse>, res: ServerResponse, holdMs: number): void {
  held.add(res);
  const timer = setTimeout(() => {
    held.delete(res);
    res.socket?.destroy();
  }, holdMs);
  timer.unref();
  res.on('close', () => {
    clearTimeout(timer);
    held.delete(res);
  });
}
