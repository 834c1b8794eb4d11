#!/usr/bin/env node
// The assetl2 CLI. It runs the TypeScript sources through tsx on the Node 24 that the
// project pins (the `node` devDependency), so `npm install` is the only set-up: if a
// different Node started this script, hand over to the pinned one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REQUIRED_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);

if (major < REQUIRED_MAJOR) {
  let pinned;
  try {
    const require = createRequire(import.meta.url);
    pinned = join(dirname(require.resolve('node/package.json')), 'bin', 'node');
  } catch {
    pinned = undefined;
  }
  if (!pinned || !existsSync(pinned)) {
    process.stderr.write(
      `error: assetl2 needs Node ${REQUIRED_MAJOR}; run \`npm install\` in the repository first\n`,
    );
    process.exit(1);
  }
  const child = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exit(child.status ?? 1);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli', 'main.ts'));
}
