import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { flowSchema, type Flow } from './schema.js';

/** A problem in a flow file, named by file and node so an author can go straight to it. */
export interface FlowIssue {
  file: string;
  node?: string;
  message: string;
}

export interface LoadedFlows {
  flows: Map<string, Flow>;
  /** Which file each flow came from, for reports. */
  files: Map<string, string>;
  issues: FlowIssue[];
}

/** Reads and validates every `*.yaml` in `dir` (not its sub-folders: the programme catalogue lives there). */
export function loadFlows(dir: string): LoadedFlows {
  const result: LoadedFlows = { flows: new Map(), files: new Map(), issues: [] };
  const names = readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
  for (const name of names) {
    const file = join(dir, name);
    const loaded = parseFlowText(readFileSync(file, 'utf8'), file);
    if ('issues' in loaded) {
      result.issues.push(...loaded.issues);
      continue;
    }
    const { flow } = loaded;
    const earlier = result.files.get(flow.id);
    if (earlier) {
      result.issues.push({ file, message: `flow id "${flow.id}" is also used by ${earlier}` });
      continue;
    }
    result.flows.set(flow.id, flow);
    result.files.set(flow.id, file);
  }
  return result;
}

export function parseFlowText(text: string, file: string): { flow: Flow } | { issues: FlowIssue[] } {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    const message = error instanceof YAMLParseError ? error.message : String(error);
    return { issues: [{ file, message: `not valid YAML: ${message}` }] };
  }
  const parsed = flowSchema.safeParse(raw);
  if (parsed.success) return { flow: parsed.data };
  return {
    issues: parsed.error.issues.map((issue) => {
      const [top, node, ...rest] = issue.path.map(String);
      const inNode = top === 'nodes' && node !== undefined;
      const where = inNode ? rest : [top, node, ...rest].filter((part) => part !== undefined);
      return {
        file,
        ...(inNode ? { node } : {}),
        message: `${where.length > 0 ? `${where.join('.')}: ` : ''}${issue.message}`,
      };
    }),
  };
}

export function formatIssue(issue: FlowIssue): string {
  return `${issue.file}${issue.node ? ` node "${issue.node}"` : ''}: ${issue.message}`;
}
