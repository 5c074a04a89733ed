/**
 * Today's date as a person in `timeZone` sees it (YYYY-MM-DD), which is what Slack's date picker
 * offers them. The UTC date is a day ahead of the Americas every evening, and the app refuses a
 * date in the person's future, so tests that pick "today" must pick it in the person's zone.
 */
export function localToday(timeZone: string, at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}
