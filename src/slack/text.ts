/**
 * Slack escapes `&`, `<` and `>` in the text it sends (slash command text, message text); the
 * user typed the characters themselves, so that is what is stored and shown back. `&amp;` is
 * decoded last so `&amp;lt;` stays the literal `&lt;` the user typed.
 */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
