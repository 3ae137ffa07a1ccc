/**
 * The deterministic tool classifier: no model, the same input always gives the same class. Pure.
 *
 * 1. The name decides first: its first action verb (`delete_entities` → Destructive), with three
 *    refinements — a changing verb on a money noun is Financial (`create_refund`), `query` on a query
 *    language runs code (`sql_query`), and `drop` destroys only data-store objects (`drop_table`,
 *    not `browser_drop`). An HTTP method followed by a verb yields to it (`post-search` searches).
 *    Without a verb: code nouns (`python`) mean Execute, a final read noun (`git_status`) Read.
 * 2. Without a usable name, the title, then the description's leading verb; a description that
 *    lists operations ("Manage branches: list, create, delete …") takes the riskiest one.
 * 3. Strong evidence can only raise the class: phrases ("arbitrary code", "cannot be undone") and
 *    code parameters (`code`, `script`, `command`, `sql`, … as strings).
 * 4. MCP annotations come from the server, which may be wrong or lying: they decide only when
 *    nothing else does; where they contradict the rest, the higher risk wins and the conflict is
 *    reported. `readOnlyHint: false` or `destructiveHint: true` claims the tool changes something,
 *    so it raises Read to Write — never to Destructive: MCP assumes `destructiveHint: true` for every
 *    tool without annotations, so it cannot tell deleting from editing.
 * 5. No evidence at all: Write with low confidence (the tool may change something; review it).
 */
import type { ToolDefinition } from './lock.js';
import { RISK_OF_CATEGORY, type Category, type Risk } from './types.js';
import {
  CODE_PARAMETERS,
  DESCRIPTION_PREFIX,
  DROP_OBJECTS,
  EXECUTE_NOUNS,
  GENERIC_VERBS,
  HTTP_METHOD_VERBS,
  MONEY_NOUNS,
  MONEY_PARAMETERS,
  PHRASES,
  QUERY_LANGUAGES,
  READ_NOUNS,
  READ_ONLY_PHRASE,
  VERB_CATEGORY,
} from './vocabulary.js';

export interface Classification {
  category: Category;
  risk: Risk;
  /** 0..1: how sure the evidence makes us. */
  confidence: number;
  /** One sentence: why this class. */
  reason: string;
  /** Quoted evidence, the deciding item first. */
  evidence: string[];
  /** Where the evidence disagrees; the higher risk won. */
  conflicts: string[];
}

/** The order classes are compared in: the higher index is the higher risk. */
const RANK: Record<Category, number> = { Read: 0, Write: 1, Execute: 2, Destructive: 3, Financial: 4 };

const MEANING: Record<Category, string> = {
  Read: 'it reads or retrieves data',
  Write: 'it creates or changes data',
  Execute: 'it runs code or starts processes',
  Destructive: 'it deletes or discards data',
  Financial: 'it moves money or changes billing',
};

type Source = 'name' | 'title' | 'description' | 'phrase' | 'parameter' | 'annotations';

interface Signal {
  source: Source;
  category: Category;
  strength: number;
  /** Evidence line, e.g. `name: verb "delete" → Destructive`. */
  text: string;
  /** The same as prose, for the reason. */
  why: string;
}

/** Splits snake_case, kebab-case, camelCase, dotted and spaced names into lower-case tokens. */
export function tokenize(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((token) => token.length > 0);
}

function quote(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max - 1)}…` : flat);
}

interface Action {
  category: Category;
  detail: string;
}

/** Refines a verb's category by the words around it (money nouns, query languages, drop objects). */
function refineVerb(verb: string, category: Category, rest: readonly string[], all: readonly string[]): Action {
  if (verb === 'drop' && !rest.some((token) => DROP_OBJECTS.has(token))) return { category: 'Write', detail: `verb "drop" (not of a data store)` };
  if (verb === 'query') {
    const language = all.find((token) => QUERY_LANGUAGES.has(token));
    if (language) return { category: 'Execute', detail: `"query" in ${language.toUpperCase()}` };
  }
  const money = all.find((token) => token !== verb && MONEY_NOUNS.has(token));
  if (money && (verb === 'capture' || category === 'Write' || category === 'Destructive' || category === 'Financial')) {
    return { category: 'Financial', detail: `"${verb}" on "${money}"` };
  }
  return { category, detail: `verb "${verb}"` };
}

function verbCategory(word: string): { verb: string; category: Category } | undefined {
  const exact = VERB_CATEGORY.get(word);
  if (exact) return { verb: word, category: exact };
  // Descriptions use the third person: "Deletes", "Retrieves", "Echoes", "Applies".
  const stems = word.endsWith('ies') ? [`${word.slice(0, -3)}y`] : word.endsWith('es') ? [word.slice(0, -2), word.slice(0, -1)] : word.endsWith('s') ? [word.slice(0, -1)] : [];
  for (const stem of stems) {
    const category = VERB_CATEGORY.get(stem);
    if (category) return { verb: stem, category };
  }
  return undefined;
}

/** The action a name or title states, or `generic` for "manage"-like names that need the description. */
function actionOfTokens(tokens: readonly string[]): Action | 'generic' | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (GENERIC_VERBS.has(token)) return 'generic';
    const category = VERB_CATEGORY.get(token);
    if (!category) continue;
    const next = tokens[i + 1];
    if (HTTP_METHOD_VERBS.has(token) && next !== undefined && VERB_CATEGORY.has(next)) continue;
    return refineVerb(token, category, tokens.slice(i + 1), tokens);
  }
  const last = tokens[tokens.length - 1];
  if (last !== undefined && READ_NOUNS.has(last)) return { category: 'Read', detail: `read noun "${last}"` };
  const code = tokens.find((token) => EXECUTE_NOUNS.has(token) && token !== 'process' && token !== 'job' && token !== 'function');
  if (code) return { category: 'Execute', detail: `code noun "${code}"` };
  return undefined;
}

function firstSentence(description: string): string {
  const text = description.trim().split(/\n\s*\n/)[0]!.replace(/\s+/g, ' ');
  return /^(.+?[.!?])(\s|$)/.exec(text)?.[1] ?? text;
}

/** The description's action: its leading verb, or the riskiest of the operations it lists. */
function descriptionAction(description: string): (Action & { listed?: string[] }) | undefined {
  const original = firstSentence(description);
  const sentence = original.replace(DESCRIPTION_PREFIX, '');
  const words = sentence.split(/[^A-Za-z]+/).filter((word) => word.length > 0).map((word) => word.toLowerCase());
  const lead = words[0];
  if (lead === undefined) return undefined;
  const enumerates = GENERIC_VERBS.has(lead) || /^[A-Za-z]+, [A-Za-z]+/.test(sentence);
  if (enumerates) {
    const listed: Array<{ verb: string; category: Category }> = [];
    for (const match of sentence.matchAll(/(?:^|[:,(/]|\b(?:or|and)\b)\s*(?:(?:or|and)\s+)?([A-Za-z]+)/g)) {
      const found = verbCategory(match[1]!.toLowerCase());
      if (found && !listed.some((item) => item.verb === found.verb)) listed.push(found);
    }
    if (listed.length === 0) return undefined;
    const riskiest = listed.reduce((a, b) => (RANK[b.category] > RANK[a.category] ? b : a));
    return { category: riskiest.category, detail: `lists operations ${listed.map((item) => item.verb).join(', ')}`, listed: listed.map((item) => item.verb) };
  }
  const found = verbCategory(lead);
  if (!found) return undefined;
  return { ...refineVerb(found.verb, found.category, words.slice(1, 8), words.slice(0, 8)), detail: `leads with ${quote(original)}` };
}

interface SchemaProperty {
  type?: unknown;
  properties?: Record<string, SchemaProperty>;
}

/** Top-level parameters and, for wrappers like `{params: {…}}`, their members. */
function parameters(schema: unknown): Array<[string, SchemaProperty]> {
  const properties = (schema as SchemaProperty | undefined)?.properties;
  if (!properties || typeof properties !== 'object') return [];
  const out: Array<[string, SchemaProperty]> = [];
  for (const [name, property] of Object.entries(properties)) {
    if (!property || typeof property !== 'object') continue;
    out.push([name, property]);
    if (property.properties && typeof property.properties === 'object') {
      for (const [inner, innerProperty] of Object.entries(property.properties)) {
        if (innerProperty && typeof innerProperty === 'object') out.push([inner, innerProperty]);
      }
    }
  }
  return out;
}

function isStringy(property: SchemaProperty): boolean {
  const type = property.type;
  return type === undefined || type === 'string' || (Array.isArray(type) && type.includes('string'));
}

function annotationsOf(tool: ToolDefinition): Record<string, unknown> | undefined {
  const annotations = tool.annotations;
  return annotations && typeof annotations === 'object' && !Array.isArray(annotations) ? (annotations as Record<string, unknown>) : undefined;
}

function round(value: number): number {
  return Math.round(Math.min(0.99, Math.max(0.1, value)) * 100) / 100;
}

export function classifyTool(tool: ToolDefinition): Classification {
  const signals: Signal[] = [];
  const conflicts: string[] = [];

  // 1–2: the stated action, from the name, else the title, else the description.
  const nameTokens = tokenize(tool.name);
  const nameAction = actionOfTokens(nameTokens);
  const annotations = annotationsOf(tool);
  const title = tool.title ?? (typeof annotations?.title === 'string' ? annotations.title : undefined);
  const titleAction = title !== undefined ? actionOfTokens(tokenize(title)) : undefined;
  const described = tool.description ? descriptionAction(tool.description) : undefined;

  if (nameAction && nameAction !== 'generic') {
    signals.push({ source: 'name', category: nameAction.category, strength: nameAction.detail.startsWith('verb') || nameAction.detail.startsWith('"') ? 0.9 : 0.75, text: `name: ${nameAction.detail} → ${nameAction.category}`, why: `its name has ${nameAction.detail}` });
  }
  if (titleAction && titleAction !== 'generic') {
    signals.push({ source: 'title', category: titleAction.category, strength: 0.8, text: `title ${quote(title!)}: ${titleAction.detail} → ${titleAction.category}`, why: `its title has ${titleAction.detail}` });
  }
  if (described) {
    signals.push({ source: 'description', category: described.category, strength: described.listed ? 0.7 : 0.6, text: `description ${described.detail} → ${described.category}`, why: `its description ${described.detail}` });
  }

  // 3: strong evidence that can only raise the class.
  const strong: Signal[] = [];
  for (const phrase of PHRASES) {
    const match = tool.description ? phrase.pattern.exec(tool.description) : null;
    if (match) strong.push({ source: 'phrase', category: phrase.category, strength: 0.75, text: `description says ${quote(match[0])} → ${phrase.category}`, why: `its description says ${quote(match[0])}` });
  }
  const params = parameters(tool.inputSchema);
  const codeParam = params.find(([name, property]) => CODE_PARAMETERS.has(name.toLowerCase()) && isStringy(property));
  if (codeParam) strong.push({ source: 'parameter', category: 'Execute', strength: 0.7, text: `parameter "${codeParam[0]}" (string) → Execute`, why: `it takes a "${codeParam[0]}" parameter` });

  // The stated action: the name unless it says nothing, then the title, then the description.
  const stated = signals[0];
  let category: Category | undefined = stated?.category;
  let deciding: Signal | undefined = stated;
  for (const signal of strong) {
    if (category === undefined || RANK[signal.category] > RANK[category]) {
      category = signal.category;
      deciding = signal;
    }
  }
  const contentSignals = [...signals, ...strong];

  // 4: annotations, hints from a server that may be wrong.
  const evidence: string[] = [];
  const readOnly = annotations?.readOnlyHint;
  const destructive = annotations?.destructiveHint;
  let annotationAgrees = false;
  let annotationDecided = false;
  if (!annotations || (readOnly === undefined && destructive === undefined)) {
    evidence.push(
      annotations
        ? 'annotations: no readOnlyHint or destructiveHint (MCP defaults apply: not read-only, possibly destructive)'
        : 'annotations: none declared (MCP defaults apply: not read-only, possibly destructive, open world)',
    );
  } else if (readOnly === true) {
    const text = 'annotations: readOnlyHint: true → Read';
    evidence.push(text);
    if (category === undefined) {
      category = 'Read';
      annotationDecided = true;
      deciding = { source: 'annotations', category: 'Read', strength: 0.5, text, why: 'the server marks it read-only and nothing else says otherwise' };
    } else if (category === 'Read') annotationAgrees = true;
    else conflicts.push(`the server marks it read-only (readOnlyHint: true), but ${deciding!.why} (${category}); ${category}, the higher risk, wins`);
  } else {
    const claims = [readOnly === false ? 'readOnlyHint: false' : undefined, destructive === true ? 'destructiveHint: true' : undefined].filter((claim) => claim !== undefined);
    if (destructive === false) claims.push('destructiveHint: false');
    evidence.push(`annotations: ${claims.join(', ')}`);
    const claimsChange = readOnly === false || destructive === true;
    if (claimsChange) {
      if (category === undefined) {
        category = 'Write';
        annotationDecided = true;
        deciding = { source: 'annotations', category: 'Write', strength: 0.5, text: `annotations: ${claims.join(', ')} → Write`, why: 'the server says it changes its environment and nothing else says how' };
      } else if (category === 'Read') {
        conflicts.push(`${deciding!.why} (Read), but the server says it changes its environment (${claims.filter((c) => c !== 'destructiveHint: false').join(', ')}); Write, the higher risk, wins`);
        category = 'Write';
      } else annotationAgrees = true;
    }
    if (destructive === false && category === 'Destructive') {
      conflicts.push(`the server says it is not destructive (destructiveHint: false), but ${deciding!.why} (Destructive); Destructive, the higher risk, wins`);
      annotationAgrees = false;
    }
  }

  // 5: nothing at all.
  if (category === undefined) {
    return {
      category: 'Write',
      risk: RISK_OF_CATEGORY.Write,
      confidence: 0.3,
      reason: 'Nothing in its name, description, parameters or annotations says what it does; classed Write so that a person reviews it.',
      evidence: ['no action verb in the name, title or description, no code parameter, no annotations', ...evidence],
      conflicts,
    };
  }

  if (READ_ONLY_PHRASE.test(tool.description ?? '') && category === 'Read') evidence.push(`description says ${quote(READ_ONLY_PHRASE.exec(tool.description!)![0])} → Read`);
  if (category === 'Financial') {
    const money = params.find(([name]) => MONEY_PARAMETERS.has(name.toLowerCase()));
    if (money) evidence.push(`parameter "${money[0]}" (money)`);
  }

  const ordered = [deciding!, ...contentSignals.filter((signal) => signal !== deciding)];
  const final = category;
  let confidence = deciding!.strength;
  const agreeing = contentSignals.filter((signal) => signal !== deciding && signal.category === final).length;
  confidence += Math.min(agreeing, 2) * 0.04;
  if (annotationAgrees) confidence += 0.06;
  if (signals.some((signal) => signal !== deciding && signal.category !== final)) confidence -= 0.1;
  if (conflicts.length > 0) confidence = Math.min(confidence, 0.5);

  const reason =
    conflicts.length > 0
      ? `${final} because the evidence disagrees and the higher risk wins: ${conflicts[0]}.`
      : `${final} because ${deciding!.why}: ${MEANING[final]}.`;

  return {
    category: final,
    risk: RISK_OF_CATEGORY[final],
    confidence: round(confidence),
    reason,
    evidence: [...ordered.map((signal) => signal.text), ...evidence.filter((line) => !annotationDecided || !deciding!.text.startsWith(line))],
    conflicts,
  };
}
