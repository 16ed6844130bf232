/** The text of anything thrown, for messages meant for people. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
