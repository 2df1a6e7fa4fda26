// The V8 flags the daemon runs with, wherever it is started: the systemd unit, npm start, and the
// tests and benchmarks that start it as a child (kept in step with the unit by a test).
// A 4 MB semi-space instead of Node's 16 MB: the young generation is reserved at three times its
// size, and the daemon's short-lived objects are small (frames and tensors live outside the heap),
// so this saves about 25 MB of resident memory for a few more scavenges.
export const DAEMON_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--enable-source-maps'];
