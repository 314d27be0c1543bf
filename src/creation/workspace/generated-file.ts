/** A file a generator writes: a workspace-relative path under src/, and its text. */
export interface GeneratedFile {
  path: string;
  content: string;
}
