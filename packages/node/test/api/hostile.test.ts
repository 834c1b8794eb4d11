/**
 * Hostile and malformed input over real HTTP and WebSocket, with the exact JSON-RPC codes
 * (table in src/api/errors.ts). After each kind of abuse the server still answers.
 */
import {
  encodeTransaction,
  generateKeypair,
  RPC_CODES,
  signTransaction,
  type Transaction,
  TX_LIMITS,
  toBase64,
} from '@assetl2/sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeBackend } from '../../src/api/backend.ts';
import { MAX_TX_BASE64_LENGTH } from '../../src/api/schemas.ts';
import { call, type Harness, post, RawSocket, startHarness, startServer } from './harness.ts';
import { VmTestBackend } from './vm-test-backend.ts';

type Answer = {
  jsonrpc?: string;
  id?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: { code?: string } };
};

function errorOf(json: unknown) {
  const answer = json as Answer;
  expect(answer.jsonrpc).toBe('2.0');
  expect(answer.error).toBeDefined();
  return answer.error!;
}

async function expectAlive(url: string) {
  const { status, json } = await call(url, 'getHealth');
  expect(status).toBe(200);
  expect((json as Answer).result).toMatchObject({ status: 'ok' });
}

describe('hostile input over HTTP', () => {
  let h: Harness;
  let url: string;
  beforeAll(async () => {
    h = await startHarness({ limits: { maxBatchSize: 10 } });
    url = h.address.url;
  });
  afterAll(() => h.close());

  function transfer(overrides: Partial<Transaction> = {}, keyIndex = 0): Transaction {
    const key = h.backend.keypairs[keyIndex]!;
    return {
      ...h.tx(key, {
        op: 'transfer',
        to: generateKeypair().publicKey,
        asset: { kind: 'lamports' },
        amount: 1n,
      }),
      ...overrides,
    };
  }

  it('bad JSON: -32700 with id null', async () => {
    for (const body of ['{', '{"jsonrpc":"2.0",', 'nul', '\u0000\u0001', '']) {
      const { status, json } = await post(url, body);
      expect(status).toBe(200);
      expect(errorOf(json).code).toBe(-32700);
      expect((json as Answer).id).toBeNull();
    }
    await expectAlive(url);
  });

  it('not a request: -32600 (scalars, wrong version, bad id, missing method, empty batch)', async () => {
    const cases = [
      '42',
      '"getHealth"',
      'null',
      '[]',
      '{"jsonrpc":"1.0","id":1,"method":"getHealth"}',
      '{"id":1,"method":"getHealth"}',
      '{"jsonrpc":"2.0","id":{"a":1},"method":"getHealth"}',
      '{"jsonrpc":"2.0","id":[1],"method":"getHealth"}',
      '{"jsonrpc":"2.0","id":1}',
      '{"jsonrpc":"2.0","id":1,"method":7}',
    ];
    for (const body of cases) {
      const { json } = await post(url, body);
      expect(errorOf(json).code, body).toBe(-32600);
    }
  });

  it('unknown methods, prototype names and subscriptions over HTTP: -32601', async () => {
    for (const method of [
      'getNothing',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      '',
      'x'.repeat(5000),
    ]) {
      const { json } = await call(url, method);
      const error = errorOf(json);
      expect(error.code, method).toBe(-32601);
      expect(error.message.length).toBeLessThan(200);
    }
    const { json } = await call(url, 'blockSubscribe', []);
    expect(errorOf(json)).toMatchObject({ code: -32601, message: expect.stringContaining('/ws') });
  });

  it('wrong types and missing params: -32602 naming the param', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['getAccount', undefined, /address/],
      ['getAccount', [], /address/],
      ['getAccount', [42], /address \(params\[0\]\)/],
      ['getAccount', ['0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl'], /address/],
      ['getAccount', ['1111'], /address/],
      ['getAccount', [generateKeypair().publicKey.toString()], /address/],
      ['getAccount', { address: 'x' }, /array/],
      ['getAccount', [h.backend.keypairs[0]!.publicKey.length, 'extra'], /params/],
      ['getHealth', [1], /no params/],
      ['getBlock', [-1], /height/],
      ['getBlock', [1.5], /height/],
      ['getBlock', ['abc'], /height/],
      ['getBlock', [Number.MAX_SAFE_INTEGER + 2], /height/],
      ['getTransactionStatus', ['abc'], /txId/],
      ['getTransactionStatus', ['1'.repeat(200)], /txId/],
      ['requestAirdrop', ['11111111111111111111111111111111', '18446744073709551616'], /lamports/],
      ['requestAirdrop', ['11111111111111111111111111111111', '-1'], /lamports/],
      ['requestAirdrop', ['11111111111111111111111111111111', '01'], /lamports/],
      ['requestAirdrop', ['11111111111111111111111111111111', '1e9'], /lamports/],
      ['requestAirdrop', ['11111111111111111111111111111111', 1.5], /lamports/],
      ['quote', ['11111111111111111111111111111111', { buyTokens: '1', sellTokens: '1' }], /request/],
      ['quote', ['11111111111111111111111111111111', { stealTokens: '1' }], /request/],
      ['quote', ['11111111111111111111111111111111', { buyTokens: 'lots' }], /buyTokens/],
      ['quote', ['11111111111111111111111111111111', []], /request/],
      ['sendTransaction', [], /transaction/],
      ['sendTransaction', [123], /transaction/],
    ];
    for (const [method, params, message] of cases) {
      const { json } = await call(url, method, params);
      const error = errorOf(json);
      expect(error.code, `${method} ${JSON.stringify(params)}`).toBe(-32602);
      expect(error.message, `${method} ${JSON.stringify(params)}`).toMatch(message);
    }
    // A literal "__proto__" key (JSON.parse makes it an own property).
    const { json } = await post(
      url,
      '{"jsonrpc":"2.0","id":1,"method":"quote","params":["11111111111111111111111111111111",{"__proto__":"1"}]}',
    );
    expect(errorOf(json).code).toBe(-32602);
    await expectAlive(url);
  });

  it('sendTransaction: invalid base64 is -32602; undecodable bytes are -32002 with the decoder code', async () => {
    for (const text of ['!!!!', 'AAA', 'AA==AA==', 'A'.repeat(MAX_TX_BASE64_LENGTH + 4), '']) {
      const { json } = await call(url, 'sendTransaction', [text]);
      expect(errorOf(json).code, text.slice(0, 20)).toBe(-32602);
    }
    const good = encodeTransaction(transfer());
    const cases: [Uint8Array, string][] = [
      [new Uint8Array([0, 0, 0]), 'TX_BAD_VERSION'],
      [good.subarray(0, 60), 'TX_MALFORMED'],
      [Uint8Array.from([...good, 0]), 'TX_TRAILING_BYTES'],
      [new Uint8Array(TX_LIMITS.maxTransactionBytes + 1).fill(1), 'TX_TOO_LARGE'],
      [
        (() => {
          const b = good.slice();
          b[46] = 200; // the operation tag
          return b;
        })(),
        'TX_UNKNOWN_OP',
      ],
    ];
    for (const [bytes, code] of cases) {
      const { json } = await call(url, 'sendTransaction', [toBase64(bytes)]);
      expect(errorOf(json), code).toMatchObject({ code: RPC_CODES.TRANSACTION_REJECTED, data: { code } });
    }
  });

  it('badly signed, wrong chain, wrong nonce, replay: -32002 with TX_BAD_SIGNATURE, TX_WRONG_CHAIN, TX_BAD_NONCE', async () => {
    const tx = transfer();
    const forged = tx.signature.slice();
    forged[0]! ^= 1;
    let r = await call(url, 'sendTransaction', [toBase64(encodeTransaction({ ...tx, signature: forged }))]);
    expect(errorOf(r.json)).toMatchObject({ code: -32002, data: { code: 'TX_BAD_SIGNATURE' } });
    // Signed by someone who is not the sender.
    const mallory = generateKeypair();
    const stolen = signTransaction({ ...tx, sender: mallory.publicKey }, mallory);
    r = await call(url, 'sendTransaction', [toBase64(encodeTransaction({ ...stolen, sender: tx.sender }))]);
    expect(errorOf(r.json)).toMatchObject({ code: -32002, data: { code: 'TX_BAD_SIGNATURE' } });

    const key = h.backend.keypairs[0]!;
    const otherChain = signTransaction({ ...tx, chainId: 8 }, key);
    r = await call(url, 'sendTransaction', [toBase64(encodeTransaction(otherChain))]);
    expect(errorOf(r.json)).toMatchObject({ code: -32002, data: { code: 'TX_WRONG_CHAIN' } });

    const ahead = signTransaction({ ...tx, nonce: tx.nonce + 3n }, key);
    r = await call(url, 'sendTransaction', [toBase64(encodeTransaction(ahead))]);
    expect(errorOf(r.json)).toMatchObject({ code: -32002, data: { code: 'TX_BAD_NONCE' } });

    r = await call(url, 'sendTransaction', [toBase64(encodeTransaction(tx))]);
    expect((r.json as Answer).result).toBeTypeOf('string');
    r = await call(url, 'sendTransaction', [toBase64(encodeTransaction(tx))]);
    expect(errorOf(r.json)).toMatchObject({ code: -32002, data: { code: 'TX_BAD_NONCE' } });
  });

  it('a 10 MB body: HTTP 413 with a JSON-RPC error; the next request is served', async () => {
    const huge = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'getHealth',
      params: ['x'.repeat(10 * 1024 * 1024)],
    });
    const { status, json } = await post(url, huge);
    expect(status).toBe(413);
    expect(errorOf(json)).toMatchObject({
      code: -32006,
      data: { code: 'PAYLOAD_TOO_LARGE', limit: 64 * 1024 },
    });
    await expectAlive(url);
    // Without a content length (chunked), the limit holds as well.
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 160; i++) controller.enqueue(new Uint8Array(64 * 1024).fill(32));
        controller.close();
      },
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(errorOf(await response.json()).code).toBe(-32006);
    await expectAlive(url);
  });

  it('batches: per-call answers, notifications unanswered, over the limit refused whole', async () => {
    const batch = [
      { jsonrpc: '2.0', id: 1, method: 'getHealth' },
      { jsonrpc: '2.0', id: 'two', method: 'nope' },
      { jsonrpc: '2.0', method: 'getHealth' },
      7,
      { jsonrpc: '2.0', id: null, method: 'getBlock', params: ['x'] },
    ];
    const { json } = await post(url, JSON.stringify(batch));
    const answers = json as Answer[];
    expect(answers.map((a) => [a.id, a.error?.code ?? 'ok'])).toEqual([
      [1, 'ok'],
      ['two', -32601],
      [null, -32600],
      [null, -32602],
    ]);
    const onlyNotifications = await post(url, JSON.stringify([{ jsonrpc: '2.0', method: 'getHealth' }]));
    expect(onlyNotifications.status).toBe(204);
    const single = await post(url, JSON.stringify({ jsonrpc: '2.0', method: 'getHealth' }));
    expect(single.status).toBe(204);

    const full = Array.from({ length: 10 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'getHealth' }));
    expect(((await post(url, JSON.stringify(full))).json as Answer[]).length).toBe(10);
    const over = await post(url, JSON.stringify([...full, { jsonrpc: '2.0', id: 10, method: 'getHealth' }]));
    expect(errorOf(over.json)).toMatchObject({ code: -32006, data: { code: 'BATCH_TOO_LARGE', limit: 10 } });
  });

  it('content types and paths: any content type is read as JSON-RPC, unknown paths 404', async () => {
    const { json } = await post(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getHealth' }), {
      'content-type': 'text/plain',
    });
    expect((json as Answer).result).toMatchObject({ status: 'ok' });
    const noType = await fetch(url, {
      method: 'POST',
      body: new Uint8Array(Buffer.from('{"jsonrpc":"2.0","id":1,"method":"getHealth"}')),
    });
    expect(noType.status).toBe(200);
    expect(((await noType.json()) as Answer).result).toMatchObject({ status: 'ok' });
    expect((await fetch(`${url}nowhere`)).status).toBe(404);
    const health = await fetch(`${url}health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', chainId: 7 });
  });

  it('random garbage bodies always get a well-formed JSON-RPC answer (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.json({ maxDepth: 4 }),
          fc
            .record({
              jsonrpc: fc.constantFrom('2.0', '1.0', 2),
              id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.object()),
              method: fc.constantFrom(
                'getAccount',
                'getBlock',
                'quote',
                'sendTransaction',
                'getCurve',
                'requestAirdrop',
              ),
              params: fc.anything({ maxDepth: 3 }),
            })
            .map((r) => JSON.stringify(r)),
        ),
        async (body) => {
          const { status, json, text } = await post(url, body);
          if (status === 204) return;
          expect(status, text).toBe(200);
          const answers = Array.isArray(json) ? (json as Answer[]) : [json as Answer];
          for (const answer of answers) {
            expect(answer.jsonrpc).toBe('2.0');
            if (answer.error) {
              expect(answer.error.code).not.toBe(-32603);
              expect(answer.error.message).not.toMatch(/\n\s+at /);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
    await expectAlive(url);
  });
});

describe('failures inside the backend', () => {
  const base = new VmTestBackend();
  const broken: NodeBackend = Object.assign(Object.create(base) as VmTestBackend, {
    account: () => {
      throw new Error('secret internal detail at /home/node/db.ts:42');
    },
    latestBlock: () => new Promise<never>(() => {}),
  });

  it('an unexpected exception is -32603 "internal error" without the detail or a stack', async () => {
    const { server, address } = await startServer(broken);
    try {
      const { json, text } = await call(address.url, 'getAccount', ['11111111111111111111111111111111']);
      expect(errorOf(json)).toEqual({ code: -32603, message: 'internal error' });
      expect(text).not.toMatch(/secret|db\.ts|at /);
      await expectAlive(address.url);
    } finally {
      await server.stop();
    }
  });

  it('a backend that never answers: -32007 REQUEST_TIMEOUT after requestTimeoutMs', async () => {
    const { server, address } = await startServer(broken, { requestTimeoutMs: 100 });
    try {
      const started = performance.now();
      const { json } = await call(address.url, 'getLatestBlock');
      expect(errorOf(json)).toMatchObject({ code: -32007, data: { code: 'REQUEST_TIMEOUT' } });
      expect(performance.now() - started).toBeLessThan(2_000);
    } finally {
      await server.stop();
    }
  });
});

describe('per-IP rate limit', () => {
  it('a token bucket over calls: HTTP 429 and -32005 RATE_LIMITED once spent; batches pay per call', async () => {
    const { server, address } = await startServer(new VmTestBackend(), {
      rateLimit: { capacity: 5, refillPerSecond: 0.001 },
    });
    try {
      for (let i = 0; i < 5; i++) expect((await call(address.url, 'getHealth')).status).toBe(200);
      const limited = await call(address.url, 'getHealth');
      expect(limited.status).toBe(429);
      expect(errorOf(limited.json)).toMatchObject({ code: -32005, data: { code: 'RATE_LIMITED' } });
      expect((await fetch(`${address.url}health`)).status).toBe(429);
    } finally {
      await server.stop();
    }
    // Over WebSocket: the upgrade costs a token, then every message.
    const ws = await startServer(new VmTestBackend(), { rateLimit: { capacity: 3, refillPerSecond: 0.001 } });
    try {
      const socket = await RawSocket.open(ws.address.wsUrl);
      expect((await socket.request(1, 'getHealth')).result).toMatchObject({ status: 'ok' });
      socket.send('not even JSON');
      expect(errorOf(await socket.next((m) => (m as Answer).error !== undefined)).code).toBe(-32700);
      socket.send({ jsonrpc: '2.0', id: 2, method: 'getHealth' });
      expect(errorOf(await socket.next((m) => (m as Answer).error?.code === -32005))).toMatchObject({
        data: { code: 'RATE_LIMITED' },
      });
      socket.close();
    } finally {
      await ws.server.stop();
    }
    const second = await startServer(new VmTestBackend(), {
      rateLimit: { capacity: 5, refillPerSecond: 0.001 },
    });
    try {
      const batch = Array.from({ length: 6 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'getHealth' }));
      const r = await post(second.address.url, JSON.stringify(batch));
      expect(r.status).toBe(429);
      expect(errorOf(r.json).code).toBe(-32005);
    } finally {
      await second.server.stop();
    }
  });
});

describe('hostile input over WebSocket', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ limits: { maxSubscriptionsPerSocket: 3, maxWsMessageBytes: 4096 } });
  });
  afterAll(() => h.close());

  it('bad JSON (-32700), binary frames (-32600), bad params (-32602) keep the socket open', async () => {
    const ws = await RawSocket.open(h.address.wsUrl);
    try {
      ws.send('{nope');
      expect(errorOf(await ws.next((m) => (m as Answer).error?.code === -32700)).code).toBe(-32700);
      ws.socket.send(new Uint8Array([1, 2, 3]));
      expect(errorOf(await ws.next((m) => (m as Answer).error?.code === -32600)).code).toBe(-32600);
      const bad = await ws.request(1, 'curveSubscribe', ['not base58 0OIl']);
      expect(errorOf(bad)).toMatchObject({ code: -32602, message: expect.stringContaining('curveId') });
      expect((await ws.request(2, 'signatureUnsubscribe', [12345])).result).toBe(false);
      expect((await ws.request(3, 'getHealth')).result).toMatchObject({ status: 'ok' });
    } finally {
      ws.close();
    }
  });

  it('too many subscriptions on one socket: -32006 TOO_MANY_SUBSCRIPTIONS; unsubscribing frees a slot', async () => {
    const ws = await RawSocket.open(h.address.wsUrl);
    try {
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) ids.push((await ws.request(10 + i, 'blockSubscribe')).result as number);
      const over = await ws.request(20, 'curveSubscribe');
      expect(errorOf(over)).toMatchObject({
        code: -32006,
        data: { code: 'TOO_MANY_SUBSCRIPTIONS', limit: 3 },
      });
      expect((await ws.request(21, 'blockUnsubscribe', [ids[0]])).result).toBe(true);
      expect((await ws.request(22, 'curveSubscribe')).result).toBeTypeOf('number');
    } finally {
      ws.close();
    }
  });

  it('an oversized message closes the socket with 1009; the server keeps serving', async () => {
    const ws = await RawSocket.open(h.address.wsUrl);
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getHealth', params: ['x'.repeat(10_000)] }));
    const closed = await ws.closed;
    expect(closed.code).toBe(1009);
    const again = await RawSocket.open(h.address.wsUrl);
    try {
      expect((await again.request(1, 'getHealth')).result).toMatchObject({ status: 'ok' });
    } finally {
      again.close();
    }
    await expectAlive(h.address.url);
  });

  it('too many sockets from one address are refused before the upgrade', async () => {
    const { server, address } = await startServer(new VmTestBackend(), { maxSocketsPerIp: 2 });
    const open: RawSocket[] = [];
    try {
      open.push(await RawSocket.open(address.wsUrl), await RawSocket.open(address.wsUrl));
      await expect(RawSocket.open(address.wsUrl)).rejects.toThrow();
      open.pop()!.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      open.push(await RawSocket.open(address.wsUrl));
    } finally {
      for (const s of open) s.close();
      await server.stop();
    }
  });
});
