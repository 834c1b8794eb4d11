export type { FieldPositions } from './checker.ts';
export {
  type CompiledTemplate,
  type CompileOptions,
  type CompileResult,
  compileCurveScript,
  obligationFailure,
} from './compiler.ts';
export { type Diagnostic, formatDiagnostic, type Position, type Severity } from './diagnostics.ts';
export { KEYWORDS } from './grammar.ts';
export { parse, type Script, type Statement, type Value } from './parser.ts';
export * from './template.ts';
export {
  decodeTemplate,
  encodeTemplate,
  TEMPLATE_MAGIC,
  TEMPLATE_VERSION,
  templateHash,
} from './template-codec.ts';
export { type TemplateIssue, validateTemplate } from './validate.ts';
