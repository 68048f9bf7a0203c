import type { Diagnostic } from '../shared/diagnostics.ts';
import type { FolderConfigs } from './folder-config.ts';
import type { JinjaEngine } from './jinja/engine.ts';
import type { MacroDefinition, UniqueId } from './types.ts';

/** What the node builders share while loadProject runs. */
export interface LoadContext {
  projectName: string;
  projectDir: string;
  engine: JinjaEngine;
  diagnostics: Diagnostic[];
  vars: Record<string, unknown>;
  env: Record<string, string | undefined>;
  target: { name: string; type: string; schema: string };
  dialect: string;
  /** Where models and seeds live when their config names no schema (the engine's default schema). */
  defaultSchema: string;
  folders: { models: FolderConfigs; seeds: FolderConfigs; tests: FolderConfigs };
  /** Macros by name (the last definition wins, as in the engine). */
  macros: Map<string, MacroDefinition>;
}

/** Calls a node makes, to be resolved once every node exists (src/project/resolve-graph.ts). */
export interface PendingCalls {
  refs: { name: string; project?: string; line?: number }[];
  sources: { source: string; table: string; line?: number }[];
  /** Where to report unresolved calls. */
  file: string;
  label: string;
}

export type PendingMap = Map<UniqueId, PendingCalls>;
