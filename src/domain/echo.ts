/** A person's words repeated back in a reply, and the answers that repeat them. Pure. */

/** A user's words, shortened and made safe to show inside backticks. */
export function quote(text: string): string {
  const clean = text.replace(/[`\r\n]/g, '');
  return `\`${clean.length > 30 ? `${clean.slice(0, 30)}…` : clean}\``;
}

/** Said when a date has the right shape but no such day exists (`2026-02-30`). */
export function notACalendarDate(text: string): string {
  return `${quote(text)} is not a date on the calendar.`;
}
