/**
 * Ack bodies serialised ahead of time. A reply that depends on the ladder alone (help, the levels
 * overview, a level card, a comparison) is turned into its JSON text once, when the app starts, and
 * the request gate writes that text as the HTTP response as it is: no `JSON.stringify` of a few
 * kilobytes of blocks per request. Where one part is per request (the words typed, carried by the
 * Share button), the text is kept as the parts around that one value and joined per request.
 *
 * Anything else that serialises a {@link SerialisedReply} with `JSON.stringify` (Bolt's own ack, a
 * log line) goes through `toJSON` and writes the same bytes, so the fast path is an optimisation
 * only, never a different answer. Socket Mode's ack copies the body's fields instead: the gate
 * hands it `toJSON()` (see gateSocketModeEvents). Pure.
 */
export class SerialisedReply {
  /** The ack body exactly as `JSON.stringify(body)` writes it. */
  readonly json: string;
  readonly #body: object;

  constructor(body: object, json = JSON.stringify(body)) {
    this.#body = body;
    this.json = json;
  }

  /** What JSON.stringify sees: the body itself, so every other path writes the same text. */
  toJSON(): object {
    return this.#body;
  }
}

/** Marks the one per-request string inside a template body; never text a reply would carry. */
const HOLE = '\u0000ladder-per-request\u0000';
const HOLE_JSON = JSON.stringify(HOLE);

/**
 * A body serialised once with one string left open: `fill(value)` gives the text
 * `JSON.stringify` would write for the body with that string in place of the hole. `build`
 * builds the body for a given string (called once with the hole, and per request only for the
 * object `toJSON` hands to the slower paths).
 */
export interface SerialisedTemplate {
  fill(value: string): SerialisedReply;
}

export function serialisedTemplate(build: (value: string) => object): SerialisedTemplate {
  const text = JSON.stringify(build(HOLE));
  const at = text.indexOf(HOLE_JSON);
  if (at < 0 || text.indexOf(HOLE_JSON, at + 1) >= 0) {
    throw new Error('a serialised template needs its per-request value exactly once');
  }
  const before = text.slice(0, at);
  const after = text.slice(at + HOLE_JSON.length);
  return {
    fill: (value) => new LazyReply(build, value, `${before}${JSON.stringify(value)}${after}`),
  };
}

/** A filled template: its body object is only built if something other than the gate serialises it. */
class LazyReply extends SerialisedReply {
  readonly #build: (value: string) => object;
  readonly #value: string;

  constructor(build: (value: string) => object, value: string, json: string) {
    super({}, json);
    this.#build = build;
    this.#value = value;
  }

  override toJSON(): object {
    return this.#build(this.#value);
  }
}

/** What an ack function takes: the reply goes in as it is and is written by the gate (see request-gate.ts). */
// biome-ignore lint/suspicious/noExplicitAny: Bolt's AckFn types differ per kind of request.
export function ackSerialised(ack: (body?: any) => Promise<void>, reply: SerialisedReply): Promise<void> {
  return ack(reply);
}
