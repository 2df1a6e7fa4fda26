// The V8 flags and the environment the daemon runs with, wherever it is started: the systemd unit,
// npm start, and the tests and benchmarks that start it as a child (kept in step with the unit and
// npm start by a test).
// A 4 MB semi-space instead of Node's 16 MB: the young generation is reserved at three times its
// size, and the daemon's short-lived objects are small (frames and tensors live outside the heap),
// so this saves about 25 MB of resident memory for a few more scavenges.
export const DAEMON_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--enable-source-maps'];

/**
 * glibc raises its mmap threshold each time a block above it is freed, so after the first camera
 * frames and tensors (about 1 MB each) every such buffer comes from the main heap, where freed ones
 * fragment and are rarely given back: the daemon's resident memory read 280 to 320 MB after face
 * checks, run to run. Setting the threshold, even to glibc's own 128 KiB, stops the raising: large
 * buffers keep their own mappings and go back to the system when freed (210 to 225 MB). It must be
 * in the environment when the process starts; the daemon warns when it is not.
 */
export const DAEMON_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072' };

/** The DAEMON_ENV names missing from an environment, for the start-up warning. */
export function missingDaemonEnv(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(DAEMON_ENV)
    .filter(([name, value]) => env[name] !== value)
    .map(([name]) => name);
}
