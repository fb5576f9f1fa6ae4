import { createServer, type Server, type Socket } from 'node:net';

/**
 * What the server needs of a PGlite database, written out rather than imported: PGlite's own
 * declarations need Emscripten's types, which a user's strict compile would then have to install.
 */
export interface WireDatabase {
  readonly waitReady: Promise<void>;
  execProtocolRawStream(message: Uint8Array, options: { onRawData: (data: Uint8Array) => void }): Promise<void>;
  exec(sql: string): Promise<unknown>;
  query<T>(sql: string): Promise<{ rows: T[] }>;
  isInTransaction(): boolean;
}

/** Protocol codes of the first message of a connection (Postgres protocol, "Message Formats"). */
const PROTOCOL_3 = 196_608;
const SSL_REQUEST = 80_877_103;
const GSSENC_REQUEST = 80_877_104;
const CANCEL_REQUEST = 80_877_102;
/** A frontend message larger than this closes the connection (Postgres refuses over 1 GB too). */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const FLUSH = 0x48; // 'H'
const TERMINATE = 0x58; // 'X'

/** Options of `EmbeddedPostgresServer.start`. */
export interface EmbeddedPostgresServerOptions {
  /** Loopback address to listen on. @default '127.0.0.1' */
  host?: string;
  /** Port; 0 picks a free one. @default 0 */
  port?: number;
  /**
   * A connection that keeps a transaction open this long without sending anything is closed
   * (its transaction rolled back), since every other connection waits for it meanwhile.
   * @default 10000
   */
  idleInTransactionMs?: number;
}

/** One client connection and what it sent that has not run yet. */
interface Client {
  socket: Socket;
  /** Bytes received and not yet cut into messages. */
  buffered: Buffer;
  /** Whole messages of the batch being gathered (up to its Sync or Query). */
  pending: Buffer[];
  started: boolean;
  /** The connection's `search_path`: from its startup `options`, then whatever it set itself. */
  searchPath: string;
  idleTimer?: NodeJS.Timeout;
  closed: boolean;
}

interface Batch {
  client: Client;
  bytes: Buffer;
  startup: boolean;
}

/**
 * Serves one PGlite database to many `pg` connections over the Postgres wire protocol, so
 * several services (each with its own pool) share one embedded Postgres instead of starting
 * one each (about 600 MB and seconds of CPU apiece). PGlite has a single session; this server
 * keeps the connections from mixing in it:
 * - a connection's messages run together up to their Sync (or a simple Query), never
 *   interleaved with another's;
 * - while a connection is inside a transaction (or between a Flush and its Sync) only it runs;
 *   the others wait, and one that idles in a transaction for `idleInTransactionMs` is closed;
 * - `search_path` is per connection: the one its startup `options` set (`-c search_path=x`,
 *   as `DatabaseConnection` sends it for a service's schema), kept and restored when another
 *   connection has run in between. pglite-socket's server ignores startup options, so every
 *   service's migrations would land in `public`.
 * Other session state (settings, session advisory locks, temporary tables) is shared, and
 * startup settings other than `search_path` (statement_timeout, lock_timeout) are ignored.
 * Cancel requests are not supported (the connection is closed).
 */
export class EmbeddedPostgresServer {
  private readonly queue: Batch[] = [];
  private readonly clients = new Set<Client>();
  private running = false;
  /** The connection inside a transaction (or an unsynced extended query), if any. */
  private owner?: Client;
  /** The connection whose `search_path` is the session's. */
  private current?: Client;

  private constructor(
    private readonly db: WireDatabase,
    private readonly server: Server,
    private readonly idleInTransactionMs: number,
  ) {}

  /** Serves `db` (already created) on a loopback port; resolves once it listens. */
  static async start(db: WireDatabase, options: EmbeddedPostgresServerOptions = {}): Promise<EmbeddedPostgresServer> {
    await db.waitReady;
    const server = createServer();
    const served = new EmbeddedPostgresServer(db, server, options.idleInTransactionMs ?? 10_000);
    server.on('connection', (socket) => served.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return served;
  }

  /** `host:port` the server listens on. */
  get address(): { host: string; port: number } {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new TypeError('the embedded Postgres server does not listen');
    return { host: address.address, port: address.port };
  }

  /** `postgres://` URL of the database for `pg` (no password: loopback only). */
  get url(): string {
    const { host, port } = this.address;
    return `postgres://postgres@${host}:${port}/postgres`;
  }

  /** Connections open now. */
  get connections(): number {
    return this.clients.size;
  }

  /** Closes every connection and stops listening; the database stays open (its owner closes it). */
  async stop(): Promise<void> {
    for (const client of this.clients) client.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const client: Client = { socket, buffered: Buffer.alloc(0), pending: [], started: false, searchPath: 'public', closed: false };
    this.clients.add(client);
    socket.on('data', (chunk) => this.receive(client, chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => void this.disconnect(client));
  }

  private receive(client: Client, chunk: Buffer): void {
    client.buffered = client.buffered.length === 0 ? chunk : Buffer.concat([client.buffered, chunk]);
    for (;;) {
      const message = client.started ? this.nextMessage(client) : this.nextStartup(client);
      if (message === undefined || client.closed) return;
    }
  }

  /** Cuts the first message of a connection (no type byte); resolves undefined while incomplete. */
  private nextStartup(client: Client): Buffer | undefined {
    const { buffered } = client;
    if (buffered.length < 8) return undefined;
    const length = buffered.readInt32BE(0);
    if (length < 8 || length > 10_000) return this.refuse(client);
    if (buffered.length < length) return undefined;
    const message = buffered.subarray(0, length);
    client.buffered = buffered.subarray(length);
    const code = message.readInt32BE(4);
    if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
      client.socket.write('N'); // no encryption on loopback; the client goes on in plain text
    } else if (code === CANCEL_REQUEST) {
      client.socket.destroy(); // cancelling a running statement is not supported
    } else if (code === PROTOCOL_3) {
      client.started = true;
      const params = startupParameters(message);
      client.searchPath = searchPathOf(params.options) ?? 'public';
      // Only who connects to what reaches PGlite: its settings would be the whole session's.
      this.enqueue({ client, bytes: startupMessage({ user: params.user ?? 'postgres', database: params.database ?? 'postgres' }), startup: true });
    } else {
      return this.refuse(client);
    }
    return message;
  }

  /** Cuts one typed message; a batch is queued at its Sync, simple Query or Flush. */
  private nextMessage(client: Client): Buffer | undefined {
    const { buffered } = client;
    if (buffered.length < 5) return undefined;
    const length = buffered.readInt32BE(1);
    if (length < 4 || length > MAX_MESSAGE_BYTES) return this.refuse(client);
    if (buffered.length < length + 1) return undefined;
    const message = buffered.subarray(0, length + 1);
    client.buffered = buffered.subarray(length + 1);
    const type = message[0];
    if (type === TERMINATE) {
      client.socket.end();
      return message;
    }
    client.pending.push(message);
    if (type === SYNC || type === QUERY || type === FLUSH) {
      this.enqueue({ client, bytes: Buffer.concat(client.pending), startup: false });
      client.pending = [];
    }
    return message;
  }

  private refuse(client: Client): undefined {
    client.closed = true;
    client.socket.destroy();
    return undefined;
  }

  private enqueue(batch: Batch): void {
    clearTimeout(batch.client.idleTimer);
    this.queue.push(batch);
    void this.drain();
  }

  /** Runs queued batches one at a time: the owner's only while it holds a transaction. */
  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const index = this.owner === undefined ? 0 : this.queue.findIndex((b) => b.client === this.owner);
        if (index === -1 || this.queue.length === 0) return;
        const [batch] = this.queue.splice(index, 1);
        if (batch.client.closed) continue;
        await this.run(batch);
      }
    } finally {
      this.running = false;
    }
  }

  private async run({ client, bytes, startup }: Batch): Promise<void> {
    try {
      // A startup may reset the session's settings: the next batch sets its search_path again.
      await (startup ? this.leaveCurrent() : this.switchTo(client));
      await this.db.execProtocolRawStream(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
        onRawData: (data) => {
          if (!client.closed) client.socket.write(data);
        },
      });
    } catch {
      // PGlite itself failed (not a SQL error, which it answers): this connection cannot go on.
      client.socket.destroy();
    }
    if (client.closed) {
      // Gone while its batch ran: its transaction must not outlive it.
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK').catch(() => undefined);
      if (this.owner === client) this.owner = undefined;
      return;
    }
    const unsynced = !startup && lastType(bytes) === FLUSH;
    if (this.db.isInTransaction() || unsynced) {
      this.owner = client;
      client.idleTimer = setTimeout(() => client.socket.destroy(), this.idleInTransactionMs);
    } else if (this.owner === client) {
      this.owner = undefined;
    }
  }

  /** Makes the session's `search_path` the connection's, keeping what the previous one had set. */
  private async switchTo(client: Client): Promise<void> {
    if (this.current === client) return;
    await this.leaveCurrent();
    await this.db.exec(`SET search_path TO ${client.searchPath}`);
    this.current = client;
  }

  /** Keeps the `search_path` the current connection has now (it may have set its own). */
  private async leaveCurrent(): Promise<void> {
    const previous = this.current;
    this.current = undefined;
    if (previous === undefined || previous.closed) return;
    previous.searchPath = (await this.db.query<{ path: string }>("SELECT current_setting('search_path') AS path")).rows[0].path;
  }

  private async disconnect(client: Client): Promise<void> {
    client.closed = true;
    clearTimeout(client.idleTimer);
    this.clients.delete(client);
    if (this.current === client) this.current = undefined;
    if (this.owner !== client) return;
    // Its transaction must not outlive it, nor keep the others waiting.
    this.owner = undefined;
    if (this.db.isInTransaction() && !this.running) {
      this.running = true;
      try {
        await this.db.exec('ROLLBACK').catch(() => undefined);
      } finally {
        this.running = false;
      }
    }
    void this.drain();
  }
}

function lastType(bytes: Buffer): number | undefined {
  // Messages are type + length; walk them to the last one's type.
  let offset = 0;
  let type: number | undefined;
  while (offset + 5 <= bytes.length) {
    type = bytes[offset];
    offset += 1 + bytes.readInt32BE(offset + 1);
  }
  return type;
}

/** The key/value pairs of a StartupMessage. */
function startupParameters(message: Buffer): Record<string, string> {
  const parts = message.subarray(8).toString('utf8').split('\0');
  const params: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length && parts[i] !== ''; i += 2) params[parts[i]] = parts[i + 1];
  return params;
}

function startupMessage(params: Record<string, string>): Buffer {
  const body = Buffer.from(`${Object.entries(params).map(([k, v]) => `${k}\0${v}\0`).join('')}\0`, 'utf8');
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + body.length, 0);
  head.writeInt32BE(PROTOCOL_3, 4);
  return Buffer.concat([head, body]);
}

/**
 * The `search_path` set by a startup `options` string (`-c search_path="orders"` or
 * `--search_path=orders`), as an SQL list of quoted identifiers; undefined when it sets none
 * or names something other than plain schema names.
 */
export function searchPathOf(options: string | undefined): string | undefined {
  const match = /(?:^|\s)(?:-c\s*|--)search_path=("[^"]*"|[^\s]+)/.exec(options ?? '');
  if (match === null) return undefined;
  const names = match[1].replace(/^"(.*)"$/, '$1').split(',').map((name) => name.trim().replace(/^"(.*)"$/, '$1'));
  if (names.some((name) => !/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(name))) return undefined;
  return names.map((name) => `"${name}"`).join(', ');
}
