/** A job id (a UUID or its first 8+ hex characters) written in a message. */
export function jobIdIn(text: string): string | undefined {
  return /\b([0-9a-f]{8}(?:-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?)\b/i.exec(text)?.[1]?.toLowerCase();
}
