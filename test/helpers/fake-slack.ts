/**
 * A fake Slack on 127.0.0.1 (port 0): the Web API methods ccost calls, the file upload URL that
 * `files.getUploadURLExternal` hands out, `response_url` endpoints, and (for Socket Mode) a
 * WebSocket endpoint that `apps.connections.open` points at. Everything is recorded; nothing
 * leaves loopback. Point a WebClient at it with `createSlackClient({ token, apiUrl: fake.url })`.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One Web API call: the method, its arguments (JSON-looking values parsed) and the auth header. */
export interface FakeSlackCall {
  method: string;
  body: Record<string, unknown>;
  /** The Authorization header as sent (`Bearer xoxb-…`), if any. */
  auth: string | undefined;
}

/** One file uploaded with files.getUploadURLExternal + the upload POST + files.completeUploadExternal. */
export interface FakeSlackUpload {
  fileId: string;
  filename: string;
  bytes: Buffer;
  title: string | undefined;
  /** Set by files.completeUploadExternal; undefined while the upload is not completed. */
  channel: string | undefined;
  threadTs: string | undefined;
  initialComment: string | undefined;
  completed: boolean;
}

/** One POST to a response_url: the id in its path and its JSON body. */
export interface FakeSlackResponse {
  id: string;
  body: Record<string, unknown>;
}

/** A message posted with chat.postMessage or chat.postEphemeral. */
export interface FakeSlackMessage {
  method: 'chat.postMessage' | 'chat.postEphemeral';
  channel: string;
  ts: string;
  threadTs: string | undefined;
  user: string | undefined;
  text: string | undefined;
  blocks: unknown[] | undefined;
}

/** Settings of a fake workspace. */
export interface FakeSlackOptions {
  /** Members of each user group id (`usergroups.users.list`). */
  usergroups?: Record<string, string[]>;
  /** Tokens `auth.test` accepts; any other token gets `invalid_auth`. Default: every token. */
  tokens?: string[];
}

/** A running fake Slack. */
export interface FakeSlack {
  /** Web API base URL, ending in `/api/` (what `SLACK_API_URL` takes). */
  url: string;
  /** Origin `http://127.0.0.1:PORT`. */
  origin: string;
  calls: FakeSlackCall[];
  uploads: FakeSlackUpload[];
  responses: FakeSlackResponse[];
  messages: FakeSlackMessage[];
  /** Members of each user group; change it between tests. */
  usergroups: Record<string, string[]>;
  /** A response_url on this server; posts to it land in `responses` with this `id`. */
  responseUrl(id?: string): string;
  /** Makes the next call(s) of `method` answer `{ ok: false, error }`. */
  failNext(method: string, error: string, times?: number): void;
  /** Calls of one method. */
  callsOf(method: string): FakeSlackCall[];
  /** Resolves once `check` returns a truthy value (polled every 10 ms), rejects after `timeoutMs`. */
  waitFor<T>(check: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  /** Socket Mode: the connected app sockets and how to talk to them. */
  socket: FakeSocketMode;
  stop(): Promise<void>;
}

/** The Socket Mode side: `apps.connections.open` returns `ws://…/socket`, served here. */
export interface FakeSocketMode {
  /** Number of WebSocket connections currently open. */
  connections(): number;
  /** Text frames the app sent (acks: `{ envelope_id, payload? }`), parsed. */
  received: Record<string, unknown>[];
  /** Sends an envelope to every connected app. */
  send(envelope: Record<string, unknown>): void;
}

const JSONISH = /^\s*[[{]/;

/** Starts a fake Slack. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const state = newState(options);
  const server = createServer((req, res) => {
    handle(state, req, res).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: `fake_slack: ${(err as Error).message}` }));
    });
  });
  server.on('upgrade', (req, socket: Socket) => upgrade(state, req, socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.origin = `http://127.0.0.1:${port}`;
  return fakeSlackApi(state, async () => {
    for (const socket of state.sockets) socket.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
}

interface State {
  origin: string;
  calls: FakeSlackCall[];
  uploads: FakeSlackUpload[];
  responses: FakeSlackResponse[];
  messages: FakeSlackMessage[];
  usergroups: Record<string, string[]>;
  tokens: string[] | undefined;
  failures: Map<string, { error: string; times: number }>;
  sockets: Set<Socket>;
  received: Record<string, unknown>[];
  seq: number;
}

function newState(options: FakeSlackOptions): State {
  return {
    origin: '',
    calls: [],
    uploads: [],
    responses: [],
    messages: [],
    usergroups: options.usergroups ?? {},
    tokens: options.tokens,
    failures: new Map(),
    sockets: new Set(),
    received: [],
    seq: 0,
  };
}

function fakeSlackApi(state: State, stop: () => Promise<void>): FakeSlack {
  return {
    url: `${state.origin}/api/`,
    origin: state.origin,
    calls: state.calls,
    uploads: state.uploads,
    responses: state.responses,
    messages: state.messages,
    get usergroups() {
      return state.usergroups;
    },
    set usergroups(value) {
      state.usergroups = value;
    },
    responseUrl: (id = `r${++state.seq}`) => `${state.origin}/response/${id}`,
    failNext: (method, error, times = 1) => state.failures.set(method, { error, times }),
    callsOf: (method) => state.calls.filter((c) => c.method === method),
    waitFor: (check, timeoutMs = 10_000) => waitFor(check, timeoutMs),
    socket: {
      connections: () => state.sockets.size,
      received: state.received,
      send: (envelope) => {
        for (const socket of state.sockets) socket.write(wsTextFrame(JSON.stringify(envelope)));
      },
    },
    stop,
  };
}

async function waitFor<T>(check: () => T | undefined | null | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`fake slack: condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function handle(state: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = await readBody(req);
  const path = new URL(req.url ?? '/', state.origin).pathname;
  if (path.startsWith('/api/')) return apiCall(state, path.slice(5), req, raw, res);
  if (path.startsWith('/upload/')) return upload(state, path.slice(8), req, raw, res);
  if (path.startsWith('/response/')) {
    state.responses.push({ id: path.slice(10), body: JSON.parse(raw.toString('utf8') || '{}') });
    return send(res, 200, { ok: true });
  }
  send(res, 404, { ok: false, error: 'not_found' });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/** Form or JSON arguments, with JSON-looking form values (blocks, files) parsed. */
async function parseArgs(req: IncomingMessage, raw: Buffer): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return {};
  if (type.includes('application/json')) return JSON.parse(raw.toString('utf8'));
  const form = new URLSearchParams(raw.toString('utf8'));
  const args: Record<string, unknown> = {};
  for (const [key, value] of form) args[key] = JSONISH.test(value) ? tryJson(value) : value;
  return args;
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function apiCall(
  state: State,
  method: string,
  req: IncomingMessage,
  raw: Buffer,
  res: ServerResponse,
): Promise<void> {
  const body = await parseArgs(req, raw);
  const auth = req.headers.authorization;
  state.calls.push({ method, body, auth });
  const failure = state.failures.get(method);
  if (failure) {
    if (--failure.times <= 0) state.failures.delete(method);
    return send(res, 200, { ok: false, error: failure.error });
  }
  const token = auth?.replace(/^Bearer /, '') ?? (body.token as string | undefined);
  if (!token) return send(res, 200, { ok: false, error: 'not_authed' });
  if (state.tokens && !state.tokens.includes(token))
    return send(res, 200, { ok: false, error: 'invalid_auth' });
  send(res, 200, answer(state, method, body));
}

function answer(state: State, method: string, body: Record<string, unknown>): Record<string, unknown> {
  const str = (key: string) => (body[key] === undefined ? undefined : String(body[key]));
  switch (method) {
    case 'auth.test':
      return {
        ok: true,
        url: 'https://fake.slack.com/',
        team: 'Fake',
        user: 'ccost',
        team_id: 'T0FAKE',
        user_id: 'U0BOT',
        bot_id: 'B0BOT',
      };
    case 'chat.postMessage':
    case 'chat.postEphemeral':
      return postMessage(state, method, body);
    case 'conversations.open': {
      const users = str('users') ?? '';
      return { ok: true, channel: { id: `D${users.split(',')[0]}` } };
    }
    case 'usergroups.users.list': {
      const members = state.usergroups[str('usergroup') ?? ''];
      return members ? { ok: true, users: members } : { ok: false, error: 'no_such_subteam' };
    }
    case 'files.getUploadURLExternal': {
      const fileId = `F${String(++state.seq).padStart(8, '0')}`;
      state.uploads.push({
        fileId,
        filename: str('filename') ?? '',
        bytes: Buffer.alloc(0),
        title: undefined,
        channel: undefined,
        threadTs: undefined,
        initialComment: undefined,
        completed: false,
      });
      return { ok: true, upload_url: `${state.origin}/upload/${fileId}`, file_id: fileId };
    }
    case 'files.completeUploadExternal':
      return completeUpload(state, body);
    case 'apps.connections.open':
      return { ok: true, url: `${state.origin.replace(/^http/, 'ws')}/socket` };
    default:
      return { ok: false, error: 'unknown_method' };
  }
}

function postMessage(
  state: State,
  method: 'chat.postMessage' | 'chat.postEphemeral',
  body: Record<string, unknown>,
): Record<string, unknown> {
  const channel = String(body.channel ?? '');
  if (!channel) return { ok: false, error: 'channel_not_found' };
  const ts = `1700000000.${String(++state.seq).padStart(6, '0')}`;
  state.messages.push({
    method,
    channel,
    ts,
    threadTs: body.thread_ts === undefined ? undefined : String(body.thread_ts),
    user: body.user === undefined ? undefined : String(body.user),
    text: body.text === undefined ? undefined : String(body.text),
    blocks: Array.isArray(body.blocks) ? body.blocks : undefined,
  });
  const id = channel.startsWith('#') ? `C${channel.slice(1).toUpperCase()}` : channel;
  return method === 'chat.postMessage' ? { ok: true, channel: id, ts } : { ok: true, message_ts: ts };
}

function completeUpload(state: State, body: Record<string, unknown>): Record<string, unknown> {
  const files = Array.isArray(body.files) ? (body.files as { id: string; title?: string }[]) : [];
  const done = [];
  for (const file of files) {
    const upload = state.uploads.find((u) => u.fileId === file.id);
    if (!upload) return { ok: false, error: 'file_not_found' };
    upload.title = file.title;
    upload.channel = body.channel_id === undefined ? undefined : String(body.channel_id);
    upload.threadTs = body.thread_ts === undefined ? undefined : String(body.thread_ts);
    upload.initialComment = body.initial_comment === undefined ? undefined : String(body.initial_comment);
    upload.completed = true;
    done.push({ id: upload.fileId, name: upload.filename, title: upload.title });
  }
  return { ok: true, files: done };
}

/** The upload POST: multipart form data (field `body` holds the bytes, as @slack/web-api sends it) or raw bytes. */
async function upload(
  state: State,
  fileId: string,
  req: IncomingMessage,
  raw: Buffer,
  res: ServerResponse,
): Promise<void> {
  const target = state.uploads.find((u) => u.fileId === fileId);
  if (!target) return send(res, 404, { ok: false, error: 'file_not_found' });
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: new Uint8Array(raw),
    }).formData();
    const file = form.get('body') ?? form.get('file');
    target.bytes = file && typeof file !== 'string' ? Buffer.from(await file.arrayBuffer()) : Buffer.alloc(0);
  } else {
    target.bytes = raw;
  }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`OK - ${target.bytes.length}`);
}

// --- Socket Mode: a minimal RFC 6455 server (text frames, close, ping) -------------------------

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function upgrade(state: State, req: IncomingMessage, socket: Socket): void {
  const key = req.headers['sec-websocket-key'];
  if (!key || !req.url?.startsWith('/socket')) {
    socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    return;
  }
  const accept = createHash('sha1').update(`${key}${WS_GUID}`).digest('base64');
  socket.write(
    `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
  );
  state.sockets.add(socket);
  socket.on('close', () => state.sockets.delete(socket));
  socket.on('error', () => state.sockets.delete(socket));
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    for (let frame = readFrame(buffered); frame; frame = readFrame(buffered)) {
      buffered = buffered.subarray(frame.length);
      onFrame(state, socket, frame.opcode, frame.payload);
    }
  });
  socket.write(wsTextFrame(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: {} })));
}

function onFrame(state: State, socket: Socket, opcode: number, payload: Buffer): void {
  if (opcode === 0x1) state.received.push(JSON.parse(payload.toString('utf8')));
  else if (opcode === 0x9) socket.write(wsFrame(0xa, payload));
  else if (opcode === 0x8) {
    socket.write(wsFrame(0x8, payload.subarray(0, 2)));
    socket.end();
  }
}

/** Reads one client frame (always masked) from the start of `data`, or null when incomplete. */
function readFrame(data: Buffer): { opcode: number; payload: Buffer; length: number } | null {
  if (data.length < 2) return null;
  const opcode = data[0]! & 0x0f;
  const masked = (data[1]! & 0x80) !== 0;
  let len = data[1]! & 0x7f;
  let offset = 2;
  if (len === 126) {
    if (data.length < 4) return null;
    len = data.readUInt16BE(2);
    offset = 4;
  } else if (len === 127) {
    if (data.length < 10) return null;
    len = Number(data.readBigUInt64BE(2));
    offset = 10;
  }
  const maskLength = masked ? 4 : 0;
  if (data.length < offset + maskLength + len) return null;
  const mask = data.subarray(offset, offset + maskLength);
  const payload = Buffer.from(data.subarray(offset + maskLength, offset + maskLength + len));
  if (masked) for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ mask[i % 4]!;
  return { opcode, payload, length: offset + maskLength + len };
}

function wsTextFrame(text: string): Buffer {
  return wsFrame(0x1, Buffer.from(text, 'utf8'));
}

/** A server frame (unmasked, FIN set). */
function wsFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  const head =
    len < 126
      ? Buffer.from([0x80 | opcode, len])
      : len < 65536
        ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), u64(len)]);
  return Buffer.concat([head, payload]);
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}
