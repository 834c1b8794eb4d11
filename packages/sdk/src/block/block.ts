/**
 * Building and checking whole blocks: the header's commitments to the transactions, the
 * certificate, and the view CurveVM executes.
 */
import { AssetL2Error } from '../errors/index.ts';
import type { Transaction } from '../tx/types.ts';
import type { Block as ExecutionBlock } from '../vm/types.ts';
import { verifyCertificate } from './certificate.ts';
import { transactionsRoot } from './merkle.ts';
import type { BlockHeader, CertifiedBlock } from './types.ts';

/** A header committing to `transactions` (txCount and txRoot computed here). */
export function createBlockHeader(
  fields: Omit<BlockHeader, 'txCount' | 'txRoot'>,
  transactions: readonly Transaction[],
): BlockHeader {
  return { ...fields, txCount: transactions.length, txRoot: transactionsRoot(transactions) };
}

/** Throws BLOCK_TX_MISMATCH unless the header's txCount and txRoot are the transactions'. */
export function checkBlockBody(header: BlockHeader, transactions: readonly Transaction[]): void {
  if (header.txCount !== transactions.length) {
    throw new AssetL2Error(
      'BLOCK_TX_MISMATCH',
      `the header counts ${header.txCount} transactions, the block holds ${transactions.length}`,
    );
  }
  const root = transactionsRoot(transactions);
  if (header.txRoot.length !== 32 || !root.every((b, i) => b === header.txRoot[i])) {
    throw new AssetL2Error('BLOCK_TX_MISMATCH', "the header's txRoot is not the transactions' root");
  }
}

/**
 * Everything a block proves by itself (e.g. a block received by sync): the header commits to
 * its transactions (BLOCK_TX_MISMATCH) and carries a valid certificate for this committee
 * (BLOCK_BAD_CERTIFICATE). Execution (the roots) is CurveVM's part, linking (height, parent
 * hash) the chain's.
 */
export function checkBlock(block: CertifiedBlock, committee: readonly Uint8Array[], quorum: number): void {
  checkBlockBody(block.header, block.transactions);
  if (!verifyCertificate(block.header, block.certificate, committee, quorum)) {
    throw new AssetL2Error(
      'BLOCK_BAD_CERTIFICATE',
      `the certificate of block ${block.header.height} is not a quorum (${quorum}) of distinct committee signatures over it`,
    );
  }
}

/** What CurveVM.applyBlock takes. */
export function executionBlock(block: Pick<CertifiedBlock, 'header' | 'transactions'>): ExecutionBlock {
  return {
    height: block.header.height,
    timestamp: block.header.timestamp,
    transactions: block.transactions,
  };
}
