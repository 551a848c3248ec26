/**
 * Entry point of the Corroborate language server:
 *   node server/out/server.js --stdio
 * (also `--node-ipc` or `--socket=PORT`, as vscode-languageserver reads them).
 */
import { startServer } from './lsp/server';

process.on('uncaughtException', (e) => {
  // The server must not die on a bug in one request; log to stderr (stdout is the protocol).
  process.stderr.write(`corroborate: uncaught ${e instanceof Error ? e.stack : e}\n`);
});
process.on('unhandledRejection', (e) => {
  process.stderr.write(`corroborate: unhandled ${e instanceof Error ? e.stack : e}\n`);
});

startServer();
