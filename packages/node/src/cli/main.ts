import { isAssetL2Error } from '@assetl2/sdk';
import { Command, CommanderError } from 'commander';
import { registerCurveCommands } from './curve.ts';
import { CliError, printError, printJson } from './output.ts';

/** Cleanups that must run before the process exits (e.g. the solver's worker threads). */
const beforeExit: (() => Promise<void> | void)[] = [];

function buildProgram(): Command {
  const program = new Command('assetl2')
    .description('Asset L2: the launchpad rollup that settles to Solana')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerCurveCommands(program, { onExit: (f) => beforeExit.push(f) });
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    if (e instanceof CliError && e.reported) return e.exitCode;
    if (e instanceof CliError || isAssetL2Error(e)) {
      const code = e.code;
      if (json) printJson({ ok: false, ...(code ? { code } : {}), message: e.message });
      else printError(`error: ${code ? `${code}: ` : ''}${e.message}`);
      return e instanceof CliError ? e.exitCode : 1;
    }
    // A bug, not a user mistake: say so briefly; the stack only on request.
    const message = e instanceof Error ? e.message : String(e);
    printError(
      `internal error: ${message}${process.env.ASSETL2_DEBUG ? `\n${(e as Error).stack}` : ' (set ASSETL2_DEBUG=1 for details)'}`,
    );
    return 2;
  } finally {
    for (const cleanup of beforeExit) await cleanup();
  }
}

process.exit(await main(process.argv));
