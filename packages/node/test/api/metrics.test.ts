/**
 * GET /metrics serves Prometheus text with the node's named metrics, updated by the node's
 * parts (here the test backend and the API itself); label values stay within closed sets.
 */
import { encodeTransaction, generateKeypair, toBase64 } from '@assetl2/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Harness, startHarness } from './harness.ts';

describe('GET /metrics', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('Prometheus text with blocks, txs, mempool sizes, admission rejects, block time, RPC latency', async () => {
    const alice = h.backend.keypairs[0]!;
    for (let i = 0; i < 3; i++) {
      const tx = h.tx(alice, {
        op: 'transfer',
        to: generateKeypair().publicKey,
        asset: { kind: 'lamports' },
        amount: 1n,
      });
      await h.rpc.sendTransaction(tx);
    }
    const failing = h.tx(alice, {
      op: 'transfer',
      to: generateKeypair().publicKey,
      asset: { kind: 'lamports' },
      amount: 10n ** 18n,
    });
    await h.rpc.sendTransaction(failing);
    const forged = h.tx(alice, {
      op: 'transfer',
      to: generateKeypair().publicKey,
      asset: { kind: 'lamports' },
      amount: 1n,
    });
    const signature = forged.signature.slice();
    signature[5]! ^= 0xff;
    await call(h.address.url, 'sendTransaction', [toBase64(encodeTransaction({ ...forged, signature }))]);
    await h.rpc.getAccount(alice.publicKey);
    await call(h.address.url, 'noSuchMethod');
    await call(h.address.url, 'getAccount', ['bad']);
    h.metrics.setMempoolSize('fast', 12);
    h.metrics.setMempoolSize('big', 1);

    const response = await fetch(`${h.address.url}metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const value = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    expect(text).toContain('# TYPE assetl2_blocks_total counter');
    expect(value('assetl2_blocks_total')).toBe(4);
    expect(value('assetl2_block_height')).toBe(4);
    expect(value('assetl2_transactions_total{status="ok"}')).toBe(3);
    expect(value('assetl2_transactions_total{status="failed"}')).toBe(1);
    expect(value('assetl2_mempool_transactions{pool="fast"}')).toBe(12);
    expect(value('assetl2_mempool_transactions{pool="big"}')).toBe(1);
    expect(value('assetl2_admission_rejects_total{reason="TX_BAD_SIGNATURE"}')).toBe(1);
    expect(text).toContain('# TYPE assetl2_block_time_seconds histogram');
    expect(value('assetl2_block_time_seconds_count')).toBe(3);
    expect(text).toContain('# TYPE assetl2_rpc_request_duration_seconds histogram');
    expect(value('assetl2_rpc_request_duration_seconds_count{method="sendTransaction"}')).toBe(5);
    expect(value('assetl2_rpc_request_duration_seconds_count{method="getAccount"}')).toBe(2);
    // Unknown method names are not labels: they are counted as "other".
    expect(text).not.toContain('noSuchMethod');
    expect(value('assetl2_rpc_errors_total{method="other",code="-32601"}')).toBe(1);
    expect(value('assetl2_rpc_errors_total{method="getAccount",code="-32602"}')).toBe(1);
    expect(value('assetl2_rpc_errors_total{method="sendTransaction",code="-32002"}')).toBe(1);
    expect(text).toContain('assetl2_ws_connections');
    expect(text).toContain('assetl2_ws_subscriptions');
  });
});
