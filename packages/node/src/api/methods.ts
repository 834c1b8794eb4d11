/**
 * The JSON-RPC methods: for each, its params schema (schemas.ts), the names its params are
 * reported by, how its errors are classified (errors.ts) and the handler, which calls the
 * backend and returns a JSON view (views.ts). Subscription methods live in subscriptions.ts
 * and exist only on WebSocket sessions.
 */
import { AssetL2Error, encodeAddress } from '@assetl2/sdk';
import { z } from 'zod';
import type { NodeBackend } from './backend.ts';
import { blockNotFound, type ErrorContext } from './errors.ts';
import { address, counter, noParams, quoteRequest, transactionBytes, txId, u64 } from './schemas.ts';
import {
  accountView,
  blockView,
  curveView,
  healthView,
  quoteView,
  transactionStatusView,
  validatorView,
} from './views.ts';

/** What a handler may use besides its params. */
export interface CallContext {
  readonly backend: NodeBackend;
  /** Runs after the response has been written (e.g. a notification that must follow it). */
  defer(task: () => void | Promise<void>): void;
}

export interface MethodSpec<S extends z.ZodType = z.ZodType> {
  readonly params: S;
  /** Param names, in order, for messages. */
  readonly names: readonly string[];
  readonly context: ErrorContext;
  /** Answered as an unknown method unless the backend is a devnet. */
  readonly devnetOnly?: boolean;
  run(params: z.output<S>, ctx: CallContext): Promise<unknown>;
}

export function defineMethod<S extends z.ZodType>(spec: MethodSpec<S>): MethodSpec {
  return spec as unknown as MethodSpec;
}

export const METHODS: ReadonlyMap<string, MethodSpec> = new Map<string, MethodSpec>([
  [
    'getHealth',
    defineMethod({
      params: noParams,
      names: [],
      context: 'read',
      run: async (_, { backend }) => healthView(backend.chainId, backend.devnet, await backend.health()),
    }),
  ],
  [
    'getLatestBlock',
    defineMethod({
      params: noParams,
      names: [],
      context: 'read',
      run: async (_, { backend }) => blockView(await backend.latestBlock()),
    }),
  ],
  [
    'getBlock',
    defineMethod({
      params: z.tuple([counter]),
      names: ['height'],
      context: 'read',
      run: async ([height], { backend }) => {
        const block = await backend.block(height);
        if (!block) throw blockNotFound(height);
        return blockView(block);
      },
    }),
  ],
  [
    'sendTransaction',
    defineMethod({
      params: z.tuple([transactionBytes]),
      names: ['transaction'],
      context: 'transaction',
      run: async ([bytes], { backend }) => (await backend.submit(bytes)).txId,
    }),
  ],
  [
    'getTransactionStatus',
    defineMethod({
      params: z.tuple([txId]),
      names: ['txId'],
      context: 'read',
      run: async ([id], { backend }) => transactionStatusView(id, await backend.transactionStatus(id)),
    }),
  ],
  [
    'getAccount',
    defineMethod({
      params: z.tuple([address]),
      names: ['address'],
      context: 'read',
      run: async ([account], { backend }) => accountView(await backend.account(account)),
    }),
  ],
  [
    'getCurve',
    defineMethod({
      params: z.tuple([address]),
      names: ['curveId'],
      context: 'read',
      run: async ([id], { backend }) => {
        const curve = await backend.curve(id);
        if (!curve) throw new AssetL2Error('UNKNOWN_CURVE', `no curve ${encodeAddress(id)}`);
        return curveView(curve);
      },
    }),
  ],
  [
    'quote',
    defineMethod({
      params: z.tuple([address, quoteRequest]),
      names: ['curveId', 'request'],
      context: 'quote',
      run: async ([id, request], { backend }) =>
        quoteView(encodeAddress(id), await backend.quote(id, request)),
    }),
  ],
  [
    'getValidators',
    defineMethod({
      params: noParams,
      names: [],
      context: 'read',
      run: async (_, { backend }) => (await backend.validators()).map(validatorView),
    }),
  ],
  [
    'requestAirdrop',
    defineMethod({
      params: z.tuple([address, u64]),
      names: ['address', 'lamports'],
      context: 'transaction',
      devnetOnly: true,
      run: async ([to, lamports], { backend }) => (await backend.airdrop(to, lamports)).txId,
    }),
  ],
]);
