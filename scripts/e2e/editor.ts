/**
 * `npm run editor`: Corroborate in a browser, without installing VS Code. Starts
 * the same code-server the end-to-end tests use, with the packaged extension
 * installed and a copy of the sample workspace (corpus/ and a draft) open, and
 * prints the local address. Ctrl+C stops it and removes the temporary folders.
 *
 * PORT picks the port (default: a free one); the server listens on 127.0.0.1 only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { installExtension, makeRunFolders, makeSampleWorkspace, startCodeServer } from './codeServer';
import { packageExtension } from './prepare';
import { MissingPrerequisite, provisionCodeServer } from './provision';

async function main(): Promise<void> {
  const install = provisionCodeServer();
  const vsix = packageExtension();
  const folders = makeRunFolders('corroborate-editor-');
  const cleanUp = () => fs.rmSync(folders.root, { recursive: true, force: true });
  installExtension(install, folders, vsix);
  const workspace = makeSampleWorkspace(folders.root);
  // The tests check on save; someone trying Corroborate should see it check as they type (the default).
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'workbench.startupEditor': 'none' }, null, 2));
  const port = process.env.PORT ? Number(process.env.PORT) : undefined;
  const server = await startCodeServer(install, folders, { port });
  const address = `${server.url}?folder=${encodeURIComponent(workspace)}`;
  console.log(`\nCorroborate is running in VS Code (code-server) at\n\n    ${address}\n`);
  console.log(`Sample workspace: ${workspace} (a copy: open draft.md and edit freely)`);
  console.log('Press Ctrl+C to stop.');
  const stop = async () => {
    await server.stop();
    cleanUp();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error) => {
  console.error(error instanceof MissingPrerequisite ? `Cannot start the editor: ${error.message}` : error);
  process.exit(1);
});
