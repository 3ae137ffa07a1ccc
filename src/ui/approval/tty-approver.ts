/**
 * `policylayer proxy --approve-tty`: asks for approval on the terminal the proxy was started from
 * (or a terminal device given by path), for MCP clients that cannot show an elicitation. It opens
 * the terminal itself, because the proxy's stdin and stdout carry the MCP stream. Without a usable
 * terminal it answers `unavailable` and the next approver is tried (or the call is denied).
 * Prompts are shown one at a time; a call cancelled or timed out while waiting for its turn never
 * shows one. No ink here: the prompt's UI bundle is loaded on first use.
 */
import { closeSync, constants, openSync, readFileSync } from 'node:fs';
import { isatty, ReadStream, WriteStream } from 'node:tty';
import type { ApprovalRequest, ApprovalResult, Approver } from '../../proxy/approval/approval.js';
import { summarizeArguments } from '../../proxy/approval/arg-summary.js';
import { visibleText } from '../../util/visible-text.js';
import { isCi, loadUi } from '../load.js';

export const CONTROLLING_TERMINAL = '/dev/tty';

export interface TerminalApproverOptions {
  /** The terminal device; default the controlling terminal. */
  device?: string;
  env?: Record<string, string | undefined>;
  /** Keys typed within this many milliseconds of a prompt appearing are ignored (typeahead). */
  armAfterMs?: number;
}

interface Terminal {
  input: ReadStream;
  output: WriteStream;
  close(): void;
}

export class TerminalApprover implements Approver {
  readonly name = 'terminal';
  private readonly device: string;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: TerminalApproverOptions = {}) {
    this.device = options.device ?? CONTROLLING_TERMINAL;
  }

  ask(request: ApprovalRequest): Promise<ApprovalResult> {
    const mine = this.turn.then(() => this.askNow(request));
    this.turn = mine.catch(() => undefined);
    return Promise.race([mine, aborted(request.signal)]);
  }

  private async askNow(request: ApprovalRequest): Promise<ApprovalResult> {
    if (request.signal.aborted) return { answer: 'cancelled', reason: String(request.signal.reason) };
    if (isCi(this.options.env ?? process.env)) return { answer: 'unavailable', reason: 'no terminal prompt under CI (the CI variable is set)' };
    const terminal = openTerminal(this.device);
    if ('reason' in terminal) return { answer: 'unavailable', reason: terminal.reason };
    try {
      const ui = await loadUi();
      const answer = await ui.promptApproval({
        input: terminal.input,
        output: terminal.output,
        details: {
          // What the agent chose is shown escaped: a "\r", an escape sequence or a bidi override in it
          // could make the prompt show other code than the code that would run.
          tool: visibleText(request.tool),
          rule: request.rule,
          message: visibleText(request.message),
          grant: visibleText(request.grant),
          argumentsText: visibleText(summarizeArguments(request.args), { keepNewlines: true }),
          deadlineMs: request.deadlineMs,
        },
        signal: request.signal,
        ...(this.options.armAfterMs !== undefined ? { armAfterMs: this.options.armAfterMs } : {}),
      });
      if (answer === 'accepted') return { answer: 'accepted', reason: '' };
      if (answer === 'declined') return { answer: 'declined', reason: 'denied at the terminal' };
      return { answer: 'cancelled', reason: String(request.signal.reason ?? 'the prompt was closed') };
    } catch (error) {
      return { answer: 'unavailable', reason: `the terminal prompt failed (${(error as Error).message})` };
    } finally {
      terminal.close();
    }
  }
}

function aborted(signal: AbortSignal): Promise<ApprovalResult> {
  return new Promise((resolve) => {
    const done = () => resolve({ answer: 'cancelled', reason: String(signal.reason ?? 'the wait ended') });
    if (signal.aborted) done();
    else signal.addEventListener('abort', done, { once: true });
  });
}

/** Opens the device for the prompt, or says why it cannot be used. */
export function openTerminal(device: string): Terminal | { reason: string } {
  let readFd = -1;
  let writeFd = -1;
  try {
    // O_NOCTTY: opening another terminal must never make it this process's controlling terminal.
    readFd = openSync(device, constants.O_RDWR | constants.O_NOCTTY);
    writeFd = openSync(device, constants.O_RDWR | constants.O_NOCTTY);
  } catch (error) {
    for (const fd of [readFd, writeFd]) if (fd >= 0) closeSync(fd);
    const code = (error as NodeJS.ErrnoException).code;
    if (device === CONTROLLING_TERMINAL && (code === 'ENXIO' || code === 'ENOENT')) return { reason: 'the proxy has no controlling terminal' };
    return { reason: `cannot open ${device} (${code ?? (error as Error).message})` };
  }
  if (!isatty(readFd)) {
    closeSync(readFd);
    closeSync(writeFd);
    return { reason: `${device} is not a terminal` };
  }
  if (device === CONTROLLING_TERMINAL && inBackground()) {
    closeSync(readFd);
    closeSync(writeFd);
    // Reading or changing modes of the terminal from the background would stop the proxy (SIGTTIN/SIGTTOU).
    return { reason: 'the proxy runs in the background of its terminal' };
  }
  const input = new ReadStream(readFd);
  const output = new WriteStream(writeFd);
  return {
    input,
    output,
    close() {
      if (input.isRaw) input.setRawMode(false);
      input.destroy();
      output.destroy();
    },
  };
}

/**
 * Whether this process is outside its terminal's foreground process group (Linux: from
 * /proc/self/stat; elsewhere unknown, and assumed not).
 */
export function inBackground(stat: () => string = () => readFileSync('/proc/self/stat', 'utf8')): boolean {
  let text: string;
  try {
    text = stat();
  } catch {
    return false;
  }
  // "pid (comm) state ppid pgrp session tty_nr tpgid …": comm may hold spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const pgrp = Number(fields[2]);
  const tpgid = Number(fields[5]);
  if (!Number.isInteger(pgrp) || !Number.isInteger(tpgid) || tpgid <= 0) return false;
  return pgrp !== tpgid;
}

/** The approvers for `--approve-tty`: the terminal first, then the client's elicitation. */
export function terminalFirst(options: TerminalApproverOptions): (builtIn: { elicitation: Approver }) => Approver[] {
  return ({ elicitation }) => [new TerminalApprover(options), elicitation];
}
