import { InputError, UsageError } from '../errors.js';
import { decodePolicyText, isYamlPath, MAX_POLICY_BYTES, sniffPolicySyntax, type PolicySyntax } from '../policy/read.js';
import type { Io } from '../output/io.js';

/** The path operand that stands for standard input. */
export const STDIN_PATH = '-';

export interface StdinPolicy {
  /** How messages name it: `--stdin-filename`, or `<stdin>`. */
  display: string;
  text: string;
  syntax: PolicySyntax;
}

/**
 * A policy piped in (`lint -`, `fmt -`). `--stdin-filename` names it in messages and picks JSON or
 * YAML by its extension, as for a file (an editor passes the buffer's path); without it the text
 * decides (see sniffPolicySyntax).
 */
export async function readStdinPolicy(io: Io, filename: string | undefined): Promise<StdinPolicy> {
  const display = filename ?? '<stdin>';
  if (!io.readStdin) throw new UsageError('standard input is not available here');
  let bytes: Buffer;
  try {
    bytes = await io.readStdin(MAX_POLICY_BYTES);
  } catch (error) {
    if (error instanceof RangeError) throw new InputError(display, `more than ${MAX_POLICY_BYTES / 1024 / 1024} MiB on standard input; policies that large are refused`);
    throw new InputError(display, `cannot read standard input (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const text = decodePolicyText(display, bytes);
  const syntax: PolicySyntax = filename !== undefined ? (isYamlPath(filename) ? 'yaml' : 'json') : sniffPolicySyntax(text);
  return { display, text, syntax };
}

/** Splits path operands into files and whether `-` (standard input) was among them; `-` twice is a usage error. */
export function takeStdinOperand(paths: readonly string[], stdinFilename: string | undefined): { files: string[]; stdin: boolean } {
  const files = paths.filter((path) => path !== STDIN_PATH);
  const stdin = files.length !== paths.length;
  if (paths.length - files.length > 1) throw new UsageError('"-" (standard input) can be given once');
  if (stdinFilename !== undefined && !stdin) throw new UsageError('--stdin-filename names standard input: give "-" among the paths');
  return { files, stdin };
}
