import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import {
  applyBuy,
  type BuyQuote,
  type CompileResult,
  compileCurveScript,
  createCurveModel,
  type Diagnostic,
  formatDiagnostic,
  initialCurveState,
  quoteBuyBudget,
  quoteBuyExact,
  quoteSell,
  type SellQuote,
  toBase64,
} from '@assetl2/sdk';
import type { Command } from 'commander';
import { CliError, parseAmount, printError, printJson, printLine } from './output.ts';

interface Hooks {
  onExit(cleanup: () => Promise<void> | void): void;
}

/** `assetl2 curve check|compile|quote|plot`. */
export function registerCurveCommands(program: Command, hooks: Hooks): void {
  const curve = program
    .command('curve')
    .description('CurveScript: check, compile, quote and plot token launches');

  // The prover (Z3 in WebAssembly) loads only for the commands that prove.
  const loadProver = async () => {
    const prover = await import('@assetl2/sdk/prover');
    hooks.onExit(() => prover.shutdownProver());
    return prover;
  };

  curve
    .command('check')
    .description('run every check, including the proofs; writes nothing')
    .argument('<file>', 'CurveScript file')
    .option('--json', 'print {"ok", "diagnostics"} on stdout')
    .option('--allow-unproven', 'accept obligations the solver could not decide')
    .action(async (file: string, options: { json?: boolean; allowUnproven?: boolean }) => {
      const source = await readScript(file);
      const { compileAndProve } = await loadProver();
      const { result } = await compileAndProve(source, { allowUnproven: options.allowUnproven === true });
      if (options.json) printJson({ ok: result.ok, diagnostics: result.diagnostics });
      else {
        printDiagnostics(file, result.diagnostics);
        if (result.ok)
          printLine(`${file}: ok (${result.compiled?.obligations.length ?? 0} obligations proved)`);
      }
      if (!result.ok) process.exitCode = 1;
    });

  curve
    .command('compile')
    .description('compile to the canonical template and prove it safe')
    .argument('<file>', 'CurveScript file')
    .option('--out <dir>', 'write template.bin and proof.json into this directory')
    .option('--json', 'print the result as one JSON object')
    .option('--allow-unproven', 'accept obligations the solver could not decide')
    .action(async (file: string, options: { out?: string; json?: boolean; allowUnproven?: boolean }) => {
      const source = await readScript(file);
      const { compileAndProve } = await loadProver();
      const { result, proof } = await compileAndProve(source, {
        allowUnproven: options.allowUnproven === true,
      });
      const compiled = result.compiled;
      if (!result.ok || !compiled || !proof) {
        if (options.json) {
          printJson({
            ok: false,
            diagnostics: result.diagnostics,
            ...(proof
              ? { obligations: proof.obligations.map((o) => ({ name: o.name, result: o.result })) }
              : {}),
          });
        } else printDiagnostics(file, result.diagnostics);
        process.exitCode = 1;
        return;
      }
      if (options.out) {
        await mkdir(options.out, { recursive: true });
        await writeFile(join(options.out, 'template.bin'), compiled.bytes);
        await writeFile(join(options.out, 'proof.json'), `${JSON.stringify(proof, null, 2)}\n`);
      }
      const obligations = proof.obligations.map((o) => ({ name: o.name, result: o.result }));
      if (options.json) {
        printJson({
          ok: true,
          templateHash: compiled.templateHash,
          template: toBase64(compiled.bytes),
          obligations,
          diagnostics: result.diagnostics,
        });
        return;
      }
      printDiagnostics(file, result.diagnostics);
      const t = compiled.template;
      printLine(
        `${file}: "${t.name}" (${t.symbol}), ${t.curve.kind} curve, ${compiled.bytes.length}-byte template`,
      );
      printLine(`templateHash ${compiled.templateHash}`);
      for (const o of proof.obligations) printLine(`  ${o.result.padEnd(8)} ${o.name} (${o.ms} ms)`);
      if (options.out)
        printLine(`wrote ${join(options.out, 'template.bin')} and ${join(options.out, 'proof.json')}`);
    });

  curve
    .command('quote')
    .description('exact price of a trade on the curve (pure curve math: no caps, window or migration)')
    .argument('<file>', 'CurveScript file')
    .option('--sold <S>', 'state after one exact-token buy of S base units from launch', '0')
    .option('--buy-tokens <N>', 'buy exactly N base units')
    .option('--buy-lamports <B>', 'buy as many tokens as B lamports afford (fee included)')
    .option('--sell-tokens <N>', 'sell N base units')
    .option('--json', 'print the quote as JSON')
    .action(
      async (
        file: string,
        options: {
          sold: string;
          buyTokens?: string;
          buyLamports?: string;
          sellTokens?: string;
          json?: boolean;
        },
      ) => {
        const trades = [options.buyTokens, options.buyLamports, options.sellTokens].filter(
          (x) => x !== undefined,
        );
        if (trades.length !== 1) {
          throw new CliError('give exactly one of --buy-tokens, --buy-lamports, --sell-tokens');
        }
        const result = compileCurveScript(await readScript(file), { evaluateObligations: false });
        const compiled = requireCompiled(file, result, options.json === true);
        const model = createCurveModel(compiled.template);
        const sold = parseAmount(options.sold, '--sold');
        let state = initialCurveState(model);
        if (sold > 0n) state = applyBuy(model, state, quoteBuyExact(model, state, sold));
        let quote: BuyQuote | SellQuote;
        if (options.buyTokens !== undefined) {
          quote = quoteBuyExact(model, state, parseAmount(options.buyTokens, '--buy-tokens'));
        } else if (options.buyLamports !== undefined) {
          quote = quoteBuyBudget(model, state, parseAmount(options.buyLamports, '--buy-lamports'));
        } else {
          quote = quoteSell(model, state, parseAmount(options.sellTokens ?? '', '--sell-tokens'));
        }
        if (options.json) {
          printJson(quote);
          return;
        }
        for (const [key, value] of Object.entries(quote)) printLine(`${key.padEnd(7)} ${value}`);
      },
    );

  curve
    .command('plot')
    .description('plot price against tokens sold, and the reserve ratio against the floor')
    .argument('<file>', 'CurveScript file')
    .requiredOption('--out <file>', 'output file, .svg or .png')
    .option('--json', 'print {"ok", "out"} as JSON')
    .action(async (file: string, options: { out: string; json?: boolean }) => {
      const format = extname(options.out).toLowerCase();
      if (format !== '.svg' && format !== '.png') throw new CliError('--out must end in .svg or .png');
      const result = compileCurveScript(await readScript(file), { evaluateObligations: false });
      const compiled = requireCompiled(file, result, options.json === true);
      const { renderCurvePlot, svgToPng } = await import('./plot.ts');
      const svg = renderCurvePlot(compiled.template);
      await writeFile(options.out, format === '.svg' ? svg : svgToPng(svg));
      if (options.json) printJson({ ok: true, out: options.out });
      else printLine(`wrote ${options.out}`);
    });
}

async function readScript(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new CliError(`cannot read ${file}: ${reason}`);
  }
}

function printDiagnostics(file: string, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) printError(formatDiagnostic(file, d));
}

/** The compiled template, or exit 1 with the script's diagnostics. */
function requireCompiled(file: string, result: CompileResult, json: boolean) {
  if (result.ok && result.compiled) return result.compiled;
  if (json) printJson({ ok: false, diagnostics: result.diagnostics });
  else printDiagnostics(file, result.diagnostics);
  throw new CliError(`${file} does not compile`, { reported: true });
}
