// AF_UNIX datagrams through libc (koffi), because Node has no SOCK_DGRAM for unix sockets
// (nodejs/node#29339). sd_notify needs exactly this: one datagram to $NOTIFY_SOCKET, sent by the
// daemon's own process, so systemd attributes it to the main PID (NotifyAccess=main) with no helper
// process racing its own exit. Linux only; the calls are non-blocking and never raise SIGPIPE.
import { err, ok, OK_VOID, type Result } from '../core/result';

const AF_UNIX = 1;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;
const MSG_DONTWAIT = 0x40;
const MSG_NOSIGNAL = 0x4000;
const SUN_PATH_MAX = 108;

interface LibcFunction {
  (...args: unknown[]): unknown;
  async: (...args: unknown[]) => void;
}

export interface Libc {
  readonly socket: LibcFunction;
  readonly bind: LibcFunction;
  readonly sendto: LibcFunction;
  readonly recv: LibcFunction;
  readonly shutdown: LibcFunction;
  readonly close: LibcFunction;
  errno(): number;
}

let loaded: Promise<Result<Libc, string>> | undefined;

/** libc's socket calls, loaded once. */
export function loadLibc(): Promise<Result<Libc, string>> {
  loaded ??= (async (): Promise<Result<Libc, string>> => {
    if (process.platform !== 'linux') return err(`unix datagrams through libc are implemented for Linux only, not ${process.platform}`);
    try {
      const koffi = (await import('koffi')).default;
      const libc = koffi.load('libc.so.6');
      return ok({
        socket: libc.func('int socket(int domain, int type, int protocol)'),
        bind: libc.func('int bind(int fd, const void *addr, uint32_t len)'),
        sendto: libc.func('intptr_t sendto(int fd, const void *buf, size_t len, int flags, const void *addr, uint32_t alen)'),
        recv: libc.func('intptr_t recv(int fd, _Out_ void *buf, size_t len, int flags)'),
        shutdown: libc.func('int shutdown(int fd, int how)'),
        close: libc.func('int close(int fd)'),
        errno: () => koffi.errno(),
      });
    } catch (cause) {
      return err(`libc socket calls unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
    }
  })();
  return loaded;
}

/** sockaddr_un for a path, or for an abstract name written "@name" (as systemd writes it). */
export function unixAddress(path: string): Result<{ bytes: Buffer; length: number }, string> {
  const name = path.startsWith('@') ? Buffer.concat([Buffer.from([0]), Buffer.from(path.slice(1), 'utf8')]) : Buffer.from(path, 'utf8');
  if (name.length === 0 || name.length >= SUN_PATH_MAX) return err(`unix socket address of ${name.length} bytes (1 to ${SUN_PATH_MAX - 1})`);
  if (!path.startsWith('@') && !path.startsWith('/')) return err('a unix socket path must be absolute or abstract (@name)');
  const bytes = Buffer.alloc(2 + SUN_PATH_MAX);
  bytes.writeUInt16LE(AF_UNIX, 0);
  name.copy(bytes, 2);
  // Abstract names are exactly their bytes; paths end with their NUL.
  return ok({ bytes, length: 2 + name.length + (path.startsWith('@') ? 0 : 1) });
}

const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

export function openDatagramSocket(libc: Libc): Result<number, string> {
  const fd = libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (!isInt(fd) || fd < 0) return err(`socket(AF_UNIX, SOCK_DGRAM) failed: errno ${libc.errno()}`);
  return ok(fd);
}

/** A sender that keeps one unbound socket for the life of the process. */
export class DatagramSender {
  #fd: number | undefined;

  constructor(private readonly libc: Libc) {}

  send(path: string, message: Buffer): Result<void, string> {
    const address = unixAddress(path);
    if (!address.ok) return address;
    if (this.#fd === undefined) {
      const opened = openDatagramSocket(this.libc);
      if (!opened.ok) return opened;
      this.#fd = opened.value;
    }
    const sent = this.libc.sendto(this.#fd, message, message.length, MSG_DONTWAIT | MSG_NOSIGNAL, address.value.bytes, address.value.length);
    if (!isInt(sent) || sent !== message.length) return err(`sendto ${path} failed: errno ${this.libc.errno()}`);
    return OK_VOID;
  }

  close(): void {
    if (this.#fd !== undefined) this.libc.close(this.#fd);
    this.#fd = undefined;
  }
}

/** A bound socket that receives datagrams: systemd's side of sd_notify, for tests. */
export class DatagramReceiver {
  #closed = false;
  #waiting: Promise<string | undefined> | undefined;

  private constructor(
    private readonly libc: Libc,
    private readonly fd: number,
  ) {}

  static bind(libc: Libc, path: string): Result<DatagramReceiver, string> {
    const address = unixAddress(path);
    if (!address.ok) return address;
    const fd = openDatagramSocket(libc);
    if (!fd.ok) return fd;
    const bound = libc.bind(fd.value, address.value.bytes, address.value.length);
    if (bound !== 0) {
      const errno = libc.errno();
      libc.close(fd.value);
      return err(`bind ${path} failed: errno ${errno}`);
    }
    return ok(new DatagramReceiver(libc, fd.value));
  }

  /** A datagram already queued, or undefined when none is. */
  poll(): string | undefined {
    const buffer = Buffer.alloc(4096);
    const n = this.libc.recv(this.fd, buffer, buffer.length, MSG_DONTWAIT);
    return isInt(n) && n >= 0 ? buffer.subarray(0, n).toString('utf8') : undefined;
  }

  /** The next datagram, waited for on koffi's worker thread; undefined once closed. */
  next(): Promise<string | undefined> {
    if (this.#closed) return Promise.resolve(undefined);
    if (this.#waiting) return this.#waiting;
    const buffer = Buffer.alloc(4096);
    const waiting = new Promise<string | undefined>((resolve) => {
      this.libc.recv.async(this.fd, buffer, buffer.length, 0, (error: unknown, n: unknown) => {
        this.#waiting = undefined;
        resolve(!error && isInt(n) && n > 0 && !this.#closed ? buffer.subarray(0, n).toString('utf8') : undefined);
      });
    });
    this.#waiting = waiting;
    return waiting;
  }

  /** Wakes a waiting next() (shutdown ends a blocked recv with 0) and releases the socket. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.libc.shutdown(this.fd, 2);
    // The descriptor is closed only after the worker's recv has returned, never under it.
    await this.#waiting;
    this.libc.close(this.fd);
  }
}
