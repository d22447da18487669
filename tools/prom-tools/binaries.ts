import { execFileSync, spawnSync } from 'node:child_process';

/** The real Prometheus tools the monitoring tests run, and the Debian package that provides each. */
export const PROM_BINARIES = {
  promtool: 'prometheus',
  prometheus: 'prometheus',
  amtool: 'prometheus-alertmanager',
} as const;

export type PromBinary = keyof typeof PROM_BINARIES;

const found = new Map<PromBinary, string>();

/**
 * Absolute path of a binary on PATH. Missing tools are an error naming the package to install, never a
 * skipped test: `tools/run test` installs them.
 */
export function binaryPath(name: PromBinary): string {
  const cached = found.get(name);
  if (cached !== undefined) return cached;
  let path = '';
  try {
    path = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    path = '';
  }
  if (path === '') {
    throw new Error(
      `${name} is not on PATH: install Debian's ${PROM_BINARIES[name]} package (tools/run test does it for you)`,
    );
  }
  found.set(name, path);
  return path;
}

export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a tool to completion (these are fast, offline checks) with an optional working directory. */
export function runTool(
  name: PromBinary,
  args: readonly string[],
  options: { cwd?: string } = {},
): ToolResult {
  const result = spawnSync(binaryPath(name), [...args], {
    encoding: 'utf8',
    timeout: 60_000,
    ...(options.cwd !== undefined && { cwd: options.cwd }),
  });
  if (result.error) throw result.error;
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
