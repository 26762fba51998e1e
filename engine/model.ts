/**
 * A model as the engine holds it: a SQL file of a layer with its YAML, or a model the engine writes
 * from declarations (the KPI layer's generated models).
 */
import { createHash } from 'node:crypto';
import type { ModelSpec } from './spec.ts';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Drops trailing `;` and whitespace so the SELECT can be wrapped; line numbers are unchanged. */
export function bareSelect(text: string): string {
  return text.replace(/[\s;]+$/u, '');
}

export interface Model {
  name: string;
  layer: string;
  /** Path of the SQL file as given (relative to the working directory when sqlDir is). */
  file: string;
  yamlFile?: string;
  /** The SELECT as DuckDB will run it: trailing semicolons and blank space removed. */
  sql: string;
  spec: ModelSpec;
  sqlHash: string;
  yamlHash: string;
  /** For a model written by the engine from declarations: the files it was written from. */
  generatedFrom?: string[];
  /** Its pieces by declaration, so a failure names the declaration that caused it. */
  parts?: GeneratedPart[];
}

export interface GeneratedPart {
  label: string;
  file: string;
  line?: number;
  sql: string;
  /** Lines of the generated SQL the part occupies. */
  firstLine: number;
  lastLine: number;
}

