/**
 * Entry module of a verifier thread (SignatureVerifierPool starts it with tsx registered, as
 * the SDK is TypeScript).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serveVerifier, type VerifierWorkerData } from './verify-batch.ts';

if (!parentPort) throw new Error('verifier-worker.ts runs as a worker thread of SignatureVerifierPool');
serveVerifier(parentPort, { chainId: (workerData as VerifierWorkerData).chainId });
