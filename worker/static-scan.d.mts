/** Something in generated source that may not be loaded into an agent. */
export interface Finding {
  file: string;
  line: number;
  rule: string;
  message: string;
}

/** The source files' findings, in file order (see static-scan.mjs); loads the TypeScript parser. */
export function scanSource(files: readonly { path: string; content: string }[]): Finding[];
