/**
 * The environment the server's process starts with. It is decided here, in
 * the client, because some of it is read only when a process starts.
 */

/** The glibc tunable that has malloc ask Linux for transparent huge pages for its large blocks. */
export const HUGE_PAGES_TUNABLE = 'glibc.malloc.hugetlb=1';

/**
 * `GLIBC_TUNABLES` for the server's process: the user's own tunables, with
 * huge pages for malloc's large blocks added unless the user set that one.
 *
 * The index is held in typed arrays, which malloc places in blocks of their
 * own. Linux maps memory in pages of 4 KB by default and makes a page the
 * first time it is touched, and on virtual machines (a writer's cloud desktop,
 * the 2-core machine the benchmark runs on) each of those page faults costs
 * the host's work too: a warm start over 10,000 articles, which reads a
 * 171 MB snapshot, took 1.04 s with them and 0.80 s with huge pages
 * (November 2026, see bench/README.md). The variable is read only when a
 * process starts, so it is set for the process the client starts; a C
 * library other than glibc 2.35 or later, and systems other than Linux,
 * ignore it. It matters where the server runs on Node: VS Code's remote
 * server (SSH, WSL, containers, Codespaces) and code-server. VS Code Desktop
 * runs it with Electron, which allocates array buffers itself, so there it
 * most likely changes nothing.
 */
export function serverTunables(current: string | undefined): string {
  const tunables = (current ?? '').split(':').filter((t) => t.length > 0);
  if (tunables.some((t) => t.startsWith('glibc.malloc.hugetlb='))) return tunables.join(':');
  return [...tunables, HUGE_PAGES_TUNABLE].join(':');
}
