/** 1-based line and column; columns count code points (a tab is one). */
export interface Position {
  readonly line: number;
  readonly col: number;
}

export type Severity = 'error' | 'warning' | 'note';

export interface Diagnostic {
  readonly line: number;
  readonly col: number;
  readonly severity: Severity;
  readonly message: string;
}

export const FILE_START: Position = { line: 1, col: 1 };

export function diagnostic(at: Position, severity: Severity, message: string): Diagnostic {
  return { line: at.line, col: at.col, severity, message };
}

/** `file:line:col: severity: message`, the form compilers and editors understand. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  return `${file}:${d.line}:${d.col}: ${d.severity}: ${d.message}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Stable order for output: by position, errors before notes at the same place. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const rank: Record<Severity, number> = { error: 0, warning: 1, note: 2 };
  return [...diagnostics].sort(
    (a, b) => a.line - b.line || a.col - b.col || rank[a.severity] - rank[b.severity],
  );
}
