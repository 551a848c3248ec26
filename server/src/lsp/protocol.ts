/**
 * Corroborate's own messages beside standard LSP, in one place so client and
 * server agree. Other editors may use them too; none is required for the
 * standard features (diagnostics, hover, completion, code actions, definition).
 */
import type { SourceSummary } from '../core/index/corpusIndex';

/** `corroborate/sources` (request, client → server): every indexed source. */
export const SourcesRequest = 'corroborate/sources';
export type SourcesResult = SourceSummary[];

/** `corroborate/status` (notification, server → client): index state for the status bar. */
export const StatusNotification = 'corroborate/status';
export interface StatusParams {
  state: 'indexing' | 'ready';
  sources: number;
  /** Files that could not be indexed or were read with a warning. */
  problems: number;
  /** Corpus folders that do not exist. */
  missingFolders: string[];
}

/** Commands the server executes (`workspace/executeCommand`); the client registers them through the language client. */
export const Commands = {
  /** Args: `[uri, offset, sourceKey]`. Inserts a citation of the source after the passage at `offset`. */
  insertCitation: 'corroborate.server.insertCitation',
  /** Args: `[uri]`. Appends a references list of the sources the draft cites. */
  insertBibliography: 'corroborate.server.insertBibliography',
  /** No args. Rebuilds the index from scratch. */
  reindex: 'corroborate.server.reindex',
} as const;
