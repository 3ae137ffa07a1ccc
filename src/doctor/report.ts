/**
 * `policylayer doctor` as a pure function: from what was found on disk (src/cli/doctor.ts gathers
 * it) to one row per configured server and a list of problems, each with its fix. Broken means a
 * client would fail to start the server or the proxy would refuse it; a server that runs
 * unprotected is a warning.
 */
export interface AuditFacts {
  path: string;
  exists: boolean;
  /** The log's folder does not exist: the proxy cannot create the log, and does not start. */
  folderMissing?: boolean;
  /** Decided calls in the log. */
  calls?: number;
  last?: { ts: string; tool: string; outcome: string; rule: string };
  error?: string;
}

export interface PolicyFacts {
  path: string;
  exists: boolean;
  errors?: number;
  warnings?: number;
  /** The file could not be read or parsed. */
  error?: string;
}

export interface ServerFacts {
  client: string;
  clientId: string;
  file: string;
  name: string;
  transport: 'stdio' | 'remote' | 'other';
  wrapped: boolean;
  /** What the entry (or its proxy) starts. */
  target: string;
  proxy?: { node?: string; nodeExists?: boolean; bin: string; binExists: boolean };
  policy?: PolicyFacts;
  audit?: AuditFacts;
  /** Whether the server's command is found (absolute, or on PATH); undefined when not checked. */
  commandFound?: boolean;
  command?: string;
  /** With --start: undefined when it started and listed its tools, else why not. */
  startError?: string;
  /** A remote entry wrap cannot take, and why. */
  unwrappable?: string;
  /** A wrapped remote entry: header variables its `--header-env` (or older `--header`) options use that neither its env nor doctor's environment sets. */
  missingVariables?: string[];
  /** Codex: those of them that `env_vars` does not name either, so Codex never passes them on. */
  missingFromEnvVars?: string[];
}

export interface FileFacts {
  client: string;
  file: string;
  error?: string;
}

export type Severity = 'error' | 'warning';

export interface Problem {
  severity: Severity;
  client: string;
  server?: string;
  file: string;
  problem: string;
  fix: string;
}

export interface DoctorReport {
  servers: ServerFacts[];
  problems: Problem[];
  summary: { servers: number; wrapped: number; errors: number; warnings: number };
}

function dirnameOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut > 0 ? path.slice(0, cut) : path;
}

export function diagnose(files: readonly FileFacts[], servers: readonly ServerFacts[]): DoctorReport {
  const problems: Problem[] = [];
  for (const file of files) {
    if (file.error) problems.push({ severity: 'error', client: file.client, file: file.file, problem: file.error, fix: 'fix the file at that position (policylayer does not change a file it cannot read)' });
  }
  for (const s of servers) {
    const at = { client: s.client, server: s.name, file: s.file };
    const rewrap = `policylayer wrap --client ${s.clientId} --server ${s.name}`;
    const notFound = s.commandFound === false ? `the server command ${s.command} is not found` : undefined;
    if (!s.wrapped) {
      if (notFound) problems.push({ severity: 'error', ...at, problem: notFound, fix: "install it, or fix the command in the client's config" });
      if (s.startError) problems.push({ severity: 'error', ...at, problem: `the server does not ${s.transport === 'remote' ? 'answer' : 'start'}: ${s.startError}`, fix: s.transport === 'remote' ? `check that ${s.target} is up, and its headers` : `run it by hand to see why: ${s.target}` });
      if (s.transport === 'stdio' || (s.transport === 'remote' && !s.unwrappable)) problems.push({ severity: 'warning', ...at, problem: 'runs without policylayer: no policy, no audit log', fix: rewrap });
      continue;
    }
    if (s.proxy?.nodeExists === false) problems.push({ severity: 'error', ...at, problem: `node ${s.proxy.node} no longer exists (Node.js moved or was upgraded)`, fix: `${rewrap} (run with the node you use now)` });
    if (s.proxy && !s.proxy.binExists) problems.push({ severity: 'error', ...at, problem: `the proxy ${s.proxy.bin} no longer exists (the clone or install moved)`, fix: `${rewrap} (run from the install you use now)` });
    const policy = s.policy;
    if (!policy) problems.push({ severity: 'error', ...at, problem: 'the proxy has no --policy and finds none from the client\'s working folder', fix: rewrap });
    else if (!policy.exists) problems.push({ severity: 'error', ...at, problem: `the policy ${policy.path} is missing: the proxy will not start`, fix: s.transport === 'remote' ? rewrap : `policylayer init -o ${policy.path} -- ${s.target}` });
    else if (policy.error) problems.push({ severity: 'error', ...at, problem: policy.error, fix: `policylayer lint ${policy.path}` });
    else if ((policy.errors ?? 0) > 0) problems.push({ severity: 'error', ...at, problem: `the policy has ${policy.errors} lint error${policy.errors === 1 ? '' : 's'}: the proxy will not load it`, fix: `policylayer lint ${policy.path}` });
    else if ((policy.warnings ?? 0) > 0) problems.push({ severity: 'warning', ...at, problem: `the policy has ${policy.warnings} lint warning${policy.warnings === 1 ? '' : 's'}`, fix: `policylayer lint ${policy.path}` });
    if (s.audit?.folderMissing) problems.push({ severity: 'error', ...at, problem: `the audit log's folder ${dirnameOf(s.audit.path)} does not exist: the proxy will not start`, fix: `mkdir -p ${dirnameOf(s.audit.path)}` });
    if (s.audit?.error) problems.push({ severity: 'warning', ...at, problem: `the audit log ${s.audit.path}: ${s.audit.error}`, fix: `policylayer audit verify ${s.audit.path}` });
    for (const variable of s.missingVariables ?? []) {
      if (s.missingFromEnvVars?.includes(variable)) {
        problems.push({ severity: 'warning', ...at, problem: `the header variable ${variable} is in neither the entry's env nor its env_vars: Codex starts the proxy without it, and the proxy will not start`, fix: `add "${variable}" to the entry's env_vars (Codex passes on only those), or set it in env` });
        continue;
      }
      problems.push({ severity: 'warning', ...at, problem: `the header variable ${variable} is not set in the entry's env: the proxy will not start unless the client's environment has it`, fix: `set ${variable} in the entry's env, or run \`policylayer unwrap\` and wrap it again` });
    }
    if (notFound) problems.push({ severity: 'error', ...at, problem: notFound, fix: "install it, or fix the command after `--` in the client's config" });
    if (s.startError) problems.push({ severity: 'error', ...at, problem: `the server does not ${s.transport === 'remote' ? 'answer' : 'start'}: ${s.startError}`, fix: s.transport === 'remote' ? `check that ${s.target} is up, and the headers in the entry's env` : `run it by hand to see why: ${s.target}` });
  }
  const errors = problems.filter((p) => p.severity === 'error').length;
  return { servers: [...servers], problems, summary: { servers: servers.length, wrapped: servers.filter((s) => s.wrapped).length, errors, warnings: problems.length - errors } };
}

function policyCell(s: ServerFacts): string {
  const p = s.policy;
  if (!p) return 'policy: none';
  if (!p.exists) return `policy: ${p.path} (missing)`;
  if (p.error) return `policy: ${p.path} (unreadable)`;
  const lint = (p.errors ?? 0) > 0 ? `${p.errors} error${p.errors === 1 ? '' : 's'}` : (p.warnings ?? 0) > 0 ? `${p.warnings} warning${p.warnings === 1 ? '' : 's'}` : 'lint ok';
  return `policy: ${p.path} (${lint})`;
}

function auditCell(s: ServerFacts): string {
  const a = s.audit;
  if (!a) return 'audit: none';
  if (!a.exists) return `audit: ${a.path} (no calls yet)`;
  if (a.error) return `audit: ${a.path} (${a.error})`;
  const last = a.last ? `; last ${a.last.ts} ${a.last.tool} ${a.last.outcome}` : '';
  return `audit: ${a.path} (${a.calls ?? 0} call${a.calls === 1 ? '' : 's'}${last})`;
}

/** The report as one screen of text. */
export function renderDoctor(report: DoctorReport, shorten: (path: string) => string = (p) => p): string {
  const lines: string[] = [];
  const groups = new Map<string, ServerFacts[]>();
  for (const s of report.servers) {
    const key = `${s.client}  ${shorten(s.file)}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const [label, servers] of groups) {
    lines.push(label);
    const width = Math.max(0, ...servers.map((s) => s.name.length));
    for (const s of servers) {
      const broken = report.problems.some((p) => p.severity === 'error' && p.server === s.name && p.file === s.file);
      const mark = broken ? '✗' : s.wrapped ? '✓' : s.transport === 'stdio' || (s.transport === 'remote' && !s.unwrappable) ? '!' : '-';
      const state = s.wrapped ? 'wrapped' : s.transport === 'stdio' ? 'not wrapped' : s.transport === 'remote' ? (s.unwrappable ? `remote: not wrappable (${s.unwrappable})` : 'not wrapped') : 'no command or url';
      lines.push(`  ${mark} ${s.name.padEnd(width)}  ${state}  ${s.target}`);
      if (s.wrapped) {
        const policy = { ...s, policy: s.policy ? { ...s.policy, path: shorten(s.policy.path) } : undefined } as ServerFacts;
        const audit = { ...s, audit: s.audit ? { ...s.audit, path: shorten(s.audit.path) } : undefined } as ServerFacts;
        lines.push(`    ${policyCell(policy)}`);
        lines.push(`    ${auditCell(audit)}`);
        if (s.proxy) lines.push(`    proxy: ${s.proxy.node ? `${shorten(s.proxy.node)} ` : ''}${shorten(s.proxy.bin)}${s.proxy.binExists && s.proxy.nodeExists !== false ? '' : ' (missing)'}`);
      }
    }
  }
  if (report.servers.length === 0 && report.problems.length === 0) lines.push('No MCP servers configured in any client policylayer knows (see `policylayer wrap --help`).');
  if (report.problems.length > 0) {
    lines.push('', 'Problems:');
    for (const p of report.problems) {
      lines.push(`  ${p.severity === 'error' ? '✗' : '!'} ${p.client}${p.server ? `: ${p.server}` : ''}: ${p.problem}`);
      lines.push(`    fix: ${p.fix}`);
    }
  }
  const { servers, wrapped, errors, warnings } = report.summary;
  lines.push('', `${servers} server${servers === 1 ? '' : 's'}, ${wrapped} wrapped; ${errors} broken, ${warnings} warning${warnings === 1 ? '' : 's'}.`);
  return `${lines.join('\n')}\n`;
}
