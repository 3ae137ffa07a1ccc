/**
 * A hand-written parser for the common subset of Python 3 that builds the very SyntaxNode tree
 * tree-sitter-python builds (parser.ts, read by wasm-tree.ts readTree), as a fast path in front of it.
 *
 * Why hand-written: the guard's speed target (proxy added p50 < 1 ms for a 10 KiB script) cannot be
 * met with tree-sitter's wasm parse (2.3 ms for 10 KiB, plus 0.6 ms to read the tree out of wasm,
 * bench/python-guard.bench.mjs); this parser builds the same tree in a fraction of that
 * (docs/dev/python-parsers.md has the figures).
 *
 * Reference: tree-sitter-python itself. Wherever this parser accepts code, its tree must be deep-equal
 * to tree-sitter's (types, fields, positions, children); test/python/fast-parser.test.ts checks that on
 * the corpora, the standard library and hostile mutations. It DECLINES (returns undefined, and the
 * caller parses with tree-sitter) on anything it does not implement or is not certain of: syntax
 * errors, `type` statements and type parameters, Python 2, CR, form feeds, mixed tab/space
 * indentation, non-ASCII outside strings and comments, unusual string prefixes, deep nesting, and
 * the places where tree-sitter reads Python differently from CPython or reports an error CPython
 * would not (docs/dev/python-parsers.md lists them). Declining is always safe;
 * a wrong tree is not, so every rule below mirrors the grammar (grammar.js, src/scanner.c of
 * tree-sitter-python 0.25) and anything unverified declines.
 */
import { DELETABLE } from './python3-syntax.js';
import type { SyntaxNode } from './syntax-tree.js';

/**
 * Nodes are built in their final shape (SyntaxNode, one object shape for all): anonymous tokens are
 * located while parsing (to place comments) and unlocated by finish(), in place. Zero-width tokens
 * (newline, indent, dedent) are not nodes; where one ends or starts a node, the node's extent says so.
 */
type N = SyntaxNode;

class Decline {}
const DECLINE = new Decline();
/** For the tests and the bench: where the last parse declined (a line of this file), when `traceDeclines` is on. */
export const declineTrace = { on: false, last: '' };
function decline(): never {
  if (declineTrace.on) declineTrace.last = new Error().stack?.split('\n')[2]?.trim() ?? '';
  throw DECLINE;
}

const enum T {
  Name,
  Keyword,
  Number,
  String,
  Op,
  Newline,
  Indent,
  Dedent,
  EOF,
}

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except',
  'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try',
  'while', 'with', 'yield',
]);

/**
 * Node types and keywords as literals: the analyser compares types with literals, and V8 compares
 * two internalised strings by pointer (a type built from the source, or by a template, would be
 * compared character by character).
 */
const STATEMENT_TYPE: Record<string, string> = { pass: 'pass_statement', break: 'break_statement', continue: 'continue_statement', global: 'global_statement', nonlocal: 'nonlocal_statement' };
const STATEMENT_KEYWORD: Record<string, string> = { pass: 'pass', break: 'break', continue: 'continue', global: 'global', nonlocal: 'nonlocal' };

/**
 * Keywords by their first character, length and last character (no two keywords share all three):
 * the lexer finds a word's only candidate without slicing or hashing, checks it with startsWith, and
 * hands out the literal (an internalised string, so every later comparison is by pointer).
 */
function keywordShape(first: number, length: number, last: number): number {
  // first: a name start (65 to 122), length 2 to 8, last: a name character (48 to 122): 75 values
  // each, so no two shapes meet (with 58 a word ending in a digit took the shape of one a character
  // shorter: `return4` was read as `return`).
  return ((first - 65) * 9 + length) * 75 + (last - 48);
}
const KEYWORD_LIST = [...KEYWORDS];
/** KEYWORD_LIST's index + 1 by shape, 0 for none. */
const KEYWORD_BY_SHAPE = new Uint8Array(keywordShape(122, 8, 122) + 1);
/** Whether any keyword starts with this character: most names skip the rest. */
const KEYWORD_INITIAL = new Uint8Array(128);
for (let i = 0; i < KEYWORD_LIST.length; i++) {
  const word = KEYWORD_LIST[i]!;
  const shape = keywordShape(word.charCodeAt(0), word.length, word.charCodeAt(word.length - 1));
  if (KEYWORD_BY_SHAPE[shape] !== 0) throw new Error(`keyword shapes collide: ${word}`);
  KEYWORD_BY_SHAPE[shape] = i + 1;
  KEYWORD_INITIAL[word.charCodeAt(0)] = 1;
}

const AUGMENTED = new Set(['+=', '-=', '*=', '/=', '@=', '//=', '%=', '**=', '>>=', '<<=', '&=', '^=', '|=']);
/** Binary operators and their precedence in tree-sitter-python (PREC): note & binds looser than ^ there, unlike CPython. */
const BINARY: Record<string, number> = { '|': 14, '&': 15, '^': 16, '<<': 17, '>>': 17, '+': 18, '-': 18, '*': 19, '@': 19, '/': 19, '%': 19, '//': 19, '**': 21 };
/**
 * An operator token's class, looked up once when it is lexed: its binary precedence (14 to 21),
 * COMPARISON_OP, or 0. A table by first two characters and length (a Map lookup per token cost more).
 */
const COMPARISON_OP = 1;
function opKey(op: string): number {
  return ((op.charCodeAt(0) << 7) | (op.length > 1 ? op.charCodeAt(1) : 0)) * 4 + op.length;
}
const OP_CLASS = new Uint8Array(128 * 128 * 4);
for (const [op, prec] of Object.entries(BINARY)) OP_CLASS[opKey(op)] = prec;
for (const op of ['<', '<=', '==', '!=', '>=', '>']) OP_CLASS[opKey(op)] = COMPARISON_OP;
/** String prefixes CPython 3 accepts (the scanner accepts more, e.g. `ub`, and t-strings: those decline). */
const PREFIXES = new Set(['', 'r', 'u', 'b', 'f', 'br', 'rb', 'fr', 'rf']);
/** Identifiers tree-sitter may read as keywords or statements (print/exec statements, match, type): only in safe places. */
function isSoft(word: string): boolean {
  // compared one by one: a name is a slice of the source, which a Set would have to hash first
  return (word.length === 4 || word.length === 5) && (word === 'print' || word === 'exec' || word === 'match' || word === 'type');
}

const MAX_DEPTH = 80;

interface Extra {
  type: 'comment' | 'line_continuation';
  start: number;
  end: number;
}

/** ASCII character classes, one table lookup per character in the lexer's hot loops (an index past the end reads undefined: 0). */
const NAME_START = 1;
const NAME_CHAR = 2;
const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const start = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
  CHAR_CLASS[c] = (start ? NAME_START : 0) | (start || (c >= 48 && c <= 57) ? NAME_CHAR : 0);
}
function isNameStart(c: number): boolean {
  return (CHAR_CLASS[c]! & NAME_START) !== 0;
}
function isNameChar(c: number): boolean {
  return (CHAR_CLASS[c]! & NAME_CHAR) !== 0;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** A node over its children: where the first one starts (line and column too), to where the last one ends. */
function node(type: string, children: N[], field: string | null = null): N {
  const first = children[0]!;
  return { type, field, named: true, missing: false, start: first.start, end: children[children.length - 1]!.end, line: first.line, column: first.column, children };
}
function withField(n: N, field: string): N {
  n.field = field;
  return n;
}

interface State {
  pos: number;
  kind: T;
  value: string;
  opClass: number;
  start: number;
  end: number;
  lastEnd: number;
  extras: number;
  pendingContinuation: Extra | undefined;
  queue: Array<{ kind: T; at: number }>;
  indents: number[];
  alternates: number[];
  brackets: string[];
  quotes: string[];
}

class Parser {
  private readonly src: string;
  private pos = 0;
  kind: T = T.EOF;
  value = '';
  /** For an operator token: OP_CLASS of its value (meaningless for other kinds). */
  opClass = 0;
  start = 0;
  end = 0;
  /** End of the last token or comment: where zero-width newline, indent and dedent tokens go (the scanner marks them where it starts). */
  private lastEnd = 0;
  readonly extras: Extra[] = [];
  private pendingContinuation: Extra | undefined;
  /** Newline, indent and dedent tokens still to hand out, with their positions. */
  private queue: Array<{ kind: T; at: number }> = [];
  private indents: number[] = [0];
  /** Open brackets; an f-string interpolation pushes its own marker. */
  private brackets: string[] = [];
  /** Quote characters of the f-strings being read: a nested string may not reuse one. */
  private quotes: string[] = [];
  private depth = 0;

  private readonly variant: BrokenVariant | undefined;
  /** Where each line starts, and the line of the last node located (nodes are made mostly in source order). */
  private readonly lines: number[];
  private line = 0;
  /** Every anonymous token made: finish() unlocates them (readTree keeps only their type). */
  readonly anonymous: N[] = [];
  /**
   * The children of every token and leaf: one empty array per parse rather than one per token (a
   * third of all allocations). Never added to: a node given children gets an array of its own, and
   * parseFast checks it is still empty before handing the tree out.
   */
  readonly noChildren: N[] = [];

  constructor(src: string, variant: BrokenVariant | undefined, lines: number[]) {
    this.src = src;
    this.variant = variant;
    this.lines = lines;
  }

  /** Sets a node's line and column from its start. */
  locate(n: N): N {
    const lines = this.lines;
    const start = n.start;
    let line = this.line;
    if (start < lines[line]!) {
      // backwards: binary search
      let lo = 0;
      let hi = line;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (lines[mid]! <= start) lo = mid;
        else hi = mid - 1;
      }
      line = lo;
    }
    while (line + 1 < lines.length && lines[line + 1]! <= start) line++;
    this.line = line;
    n.line = line + 1;
    n.column = start - lines[line]! + 1;
    return n;
  }

  tok(type: string, start: number, end: number, field: string | null = null): N {
    const n: N = { type, field, named: false, missing: false, start, end, line: 0, column: 0, children: this.noChildren };
    if (type !== '/') this.anonymous.push(n);
    return this.locate(n);
  }

  leaf(type: string, start: number, end: number, field: string | null = null): N {
    return this.locate({ type, field, named: true, missing: false, start, end, line: 0, column: 0, children: this.noChildren });
  }

  // ---------------------------------------------------------------- lexer

  save(): State {
    return {
      pos: this.pos, kind: this.kind, value: this.value, opClass: this.opClass, start: this.start, end: this.end, lastEnd: this.lastEnd, extras: this.extras.length,
      pendingContinuation: this.pendingContinuation, queue: this.queue.slice(), indents: this.indents.slice(), alternates: this.alternates.slice(), brackets: this.brackets.slice(), quotes: this.quotes.slice(),
    };
  }

  restore(s: State): void {
    this.pos = s.pos; this.kind = s.kind; this.value = s.value; this.opClass = s.opClass; this.start = s.start; this.end = s.end; this.lastEnd = s.lastEnd;
    this.extras.length = s.extras; this.pendingContinuation = s.pendingContinuation; this.queue = s.queue; this.indents = s.indents; this.alternates = s.alternates; this.brackets = s.brackets; this.quotes = s.quotes;
  }

  /** Moves to the next token. */
  next(): void {
    if (this.kind !== T.Newline && this.kind !== T.Indent && this.kind !== T.Dedent) this.lastEnd = this.end;
    if (this.queue.length > 0) {
      const q = this.queue.shift()!;
      this.kind = q.kind;
      this.value = '';
      this.start = this.end = q.at;
      return;
    }
    this.lex();
  }

  private lex(): void {
    const src = this.src;
    for (;;) {
      let p = this.pos;
      let c = src.charCodeAt(p);
      while (c === 32 || c === 9) c = src.charCodeAt(++p);
      this.pos = p;
      if (c === 35) {
        // # comment, to the end of the line
        const start = this.pos;
        let p = start;
        while (p < src.length && src.charCodeAt(p) !== 10) p++;
        if (this.pendingContinuation) decline();
        this.extras.push({ type: 'comment', start, end: p });
        this.lastEnd = p;
        this.pos = p;
        continue;
      }
      if (c === 92) {
        // \ newline: a line continuation (an extra), unless a string follows (the scanner skips it then)
        if (src.charCodeAt(this.pos + 1) !== 10 || this.pendingContinuation || this.quotes.length > 0) decline();
        this.pendingContinuation = { type: 'line_continuation', start: this.pos, end: this.pos + 2 };
        this.pos += 2;
        // Not a blank or comment line next, nor the end.
        let p = this.pos;
        while (src.charCodeAt(p) === 32 || src.charCodeAt(p) === 9) p++;
        const d = src.charCodeAt(p);
        if (p >= src.length || d === 10 || d === 35 || d === 92) decline();
        continue;
      }
      if (c === 10) {
        if (this.brackets.length > 0) {
          if (this.quotes.length > 0) decline();
          // tree-sitter's scanner emits a dedent inside brackets (an error) where a closing bracket cannot come
          // next and the next line is indented less than the block: `f(a.\nb)` in an indented block.
          let p = this.pos + 1;
          let width = 0;
          for (;;) {
            const w = src.charCodeAt(p);
            if (w === 32) width++;
            else if (w === 9) width += 8;
            else if (w === 10) width = 0;
            else break;
            p++;
          }
          if (width < this.indents[this.indents.length - 1]!) decline();
          this.pos++;
          continue;
        }
        if (this.pendingContinuation) decline();
        this.lineEnd();
        return;
      }
      if (this.pos >= src.length) {
        if (this.pendingContinuation || this.brackets.length > 0) decline();
        this.atEnd();
        return;
      }
      break;
    }
    const start = this.pos;
    const c = src.charCodeAt(start);
    if (isNameStart(c)) {
      let p = start + 1;
      while (isNameChar(src.charCodeAt(p))) p++;
      const q = src.charCodeAt(p);
      if (q === 39 || q === 34) {
        // a string prefix
        if (!PREFIXES.has(src.slice(start, p).toLowerCase())) decline();
        this.token(T.String, '', start, start);
        return;
      }
      if (q > 127) decline();
      const length = p - start;
      // Keywords are 2 to 8 characters: the one keyword of this shape, if any, compared in place.
      const index = length >= 2 && length <= 8 && KEYWORD_INITIAL[c] === 1 ? KEYWORD_BY_SHAPE[keywordShape(c, length, src.charCodeAt(p - 1))]! : 0;
      const keyword = index > 0 ? KEYWORD_LIST[index - 1]! : undefined;
      if (keyword !== undefined && keyword.length === length && src.startsWith(keyword, start)) this.token(T.Keyword, keyword, start, p);
      else this.token(T.Name, src.slice(start, p), start, p);
      return;
    }
    if (c === 39 || c === 34) {
      this.token(T.String, '', start, start);
      return;
    }
    if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(start + 1)))) {
      this.number(start);
      return;
    }
    if (c === 33 && this.quotes.length > 0 && src.charCodeAt(start + 1) !== 61) {
      // `!r` in an f-string interpolation: read by hand by interpolation()
      this.token(T.Op, '!', start, start + 1);
      return;
    }
    const op = operatorAt(src, start);
    if (op === '(' || op === '[' || op === '{') this.brackets.push(op);
    else if (op === ')' || op === ']' || op === '}') {
      const open = this.brackets.pop();
      if (open !== (op === ')' ? '(' : op === ']' ? '[' : '{')) decline();
    }
    this.token(T.Op, op, start, start + op.length);
    this.opClass = OP_CLASS[opKey(op)]!;
  }

  private token(kind: T, value: string, start: number, end: number): void {
    if (this.pendingContinuation) {
      // The scanner skips a continuation when it then finds a string start (it is padding); otherwise it is a line_continuation.
      if (kind !== T.String) this.extras.push(this.pendingContinuation);
      this.pendingContinuation = undefined;
    }
    this.kind = kind;
    this.value = value;
    this.start = start;
    this.end = end;
    this.pos = end;
  }

  private number(start: number): void {
    const src = this.src;
    let p = start;
    let float = false;
    const digits = () => {
      // [0-9]+ with single underscores between digits
      if (!isDigit(src.charCodeAt(p))) decline();
      while (isDigit(src.charCodeAt(p)) || (src.charCodeAt(p) === 95 && isDigit(src.charCodeAt(p + 1)))) p++;
    };
    const c1 = src.charCodeAt(p + 1) | 0x20;
    if (src.charCodeAt(p) === 48 && (c1 === 120 || c1 === 111 || c1 === 98)) {
      p += 2;
      const ok = c1 === 120 ? isHex : c1 === 111 ? (c: number) => c >= 48 && c <= 55 : (c: number) => c === 48 || c === 49;
      if (src.charCodeAt(p) === 95) p++;
      if (!ok(src.charCodeAt(p))) decline();
      while (ok(src.charCodeAt(p)) || (src.charCodeAt(p) === 95 && ok(src.charCodeAt(p + 1)))) p++;
      if ((src.charCodeAt(p) | 0x20) === 106) decline();
    } else {
      if (src.charCodeAt(p) !== 46) digits();
      const intEnd = p;
      if (src.charCodeAt(p) === 46) {
        float = true;
        p++;
        if (isDigit(src.charCodeAt(p))) digits();
      }
      const e = src.charCodeAt(p) | 0x20;
      if (e === 101) {
        float = true;
        p++;
        if (src.charCodeAt(p) === 43 || src.charCodeAt(p) === 45) p++;
        digits();
      }
      if (!float && src.charCodeAt(start) === 48 && intEnd - start > 1) {
        // CPython: no leading zeros in a non-zero decimal
        const text = src.slice(start, intEnd).replace(/_/g, '');
        if (text.length > 1 && text[0] === '0' && /[1-9]/.test(text)) decline();
      }
    }
    const j = src.charCodeAt(p) | 0x20;
    if (j === 106) p++;
    const after = src.charCodeAt(p);
    if (isNameChar(after) || after === 46 || after > 127) decline();
    this.token(T.Number, float ? 'float' : 'integer', start, p);
  }

  /** A line break outside brackets: a newline token (or an indent), then dedents, placed as tree-sitter's scanner places them. */
  private lineEnd(): void {
    const src = this.src;
    const at = this.lastEnd;
    // tree-sitter reads `a, \nd = 0` as one statement `a, d = 0` (CPython: two): a line ending in a comma declines.
    if (this.kind === T.Op && this.value === ',') decline();
    const previousReal = this.kind !== T.Newline && this.kind !== T.Indent && this.kind !== T.Dedent && this.started;
    // Blank and comment lines up to the next real line: their comments and indentation.
    let p = this.pos;
    const comments: Array<{ indent: number; start: number; end: number }> = [];
    let indent = 0;
    let alternate = 0;
    for (;;) {
      p++; // the \n
      let i = 0;
      let width = 0;
      for (;;) {
        const w = src.charCodeAt(p + i);
        if (w === 32) width++;
        else if (w === 9) width += 8; // as tree-sitter's scanner counts a tab; CPython agrees when every indentation is tabs only
        else break;
        i++;
      }
      const c = src.charCodeAt(p + i);
      if (p + i >= src.length) {
        indent = 0;
        p = src.length;
        break;
      }
      if (c === 10) {
        p += i;
        continue;
      }
      if (c === 35) {
        let e = p + i;
        while (e < src.length && src.charCodeAt(e) !== 10) e++;
        comments.push({ indent: width, start: p + i, end: e });
        if (e >= src.length) {
          indent = 0;
          p = src.length;
          break;
        }
        p = e;
        continue;
      }
      if (c === 92) decline(); // a continuation at a line's start: the scanner skips it as indentation
      indent = width;
      alternate = i;
      // A tab after a space: CPython rounds to a multiple of 8, tree-sitter adds 8.
      if (width !== i && src.slice(p, p + i).includes(' \t')) decline();
      p += i;
      break;
    }
    for (const c of comments) this.extras.push({ type: 'comment', start: c.start, end: c.end });
    this.pos = p;
    if (!previousReal) {
      // Blank lines before the first statement, or right after a newline: only indentation matters.
      if (this.started || indent !== 0) decline();
      this.lex();
      return;
    }
    const top = this.indents[this.indents.length - 1]!;
    // Where the parser expects neither a newline nor a dedent (a block's first line, the line after a
    // decorator), tree-sitter's scanner does not skip a comment line: one indented less than the block
    // becomes a dedent, an error. Such comments decline.
    let least = Infinity;
    for (const c of comments) if (c.indent < least) least = c.indent;
    this.leastCommentIndent = least;
    if (indent > top) {
      if (least < indent) decline();
      if (alternate <= this.alternates[this.alternates.length - 1]!) decline();
      this.indents.push(indent);
      this.alternates.push(alternate);
      this.kind = T.Indent;
      this.value = '';
      this.start = this.end = at;
      if (p >= src.length) decline();
      return;
    }
    this.kind = T.Newline;
    this.value = '';
    this.start = this.end = at;
    this.dedents(at, comments, indent, alternate);
    if (p >= src.length) this.queue.push({ kind: T.EOF, at: src.length });
  }

  private started = false;
  /** The least indentation of the comment lines before the current line (Infinity: none). */
  private leastCommentIndent = Infinity;
  /**
   * Each open indentation's length in characters (a tab as 1), beside `indents` (a tab as 8): CPython
   * compares both and raises TabError where they disagree (tree-sitter does not), so such code declines.
   */
  private alternates: number[] = [0];

  private dedents(at: number, comments: ReadonlyArray<{ indent: number; end: number }>, indent: number, alternate: number): void {
    let position = at;
    for (const c of comments) {
      while (this.indents[this.indents.length - 1]! > c.indent && this.indents[this.indents.length - 1]! > indent) {
        this.indents.pop();
        this.alternates.pop();
        this.queue.push({ kind: T.Dedent, at: position });
      }
      position = c.end;
    }
    while (this.indents[this.indents.length - 1]! > indent) {
      this.indents.pop();
      this.alternates.pop();
      this.queue.push({ kind: T.Dedent, at: position });
    }
    if (this.indents[this.indents.length - 1]! !== indent || this.alternates[this.alternates.length - 1]! !== alternate) decline();
  }

  private atEnd(): void {
    const previousReal = this.kind !== T.Newline && this.kind !== T.Indent && this.kind !== T.Dedent && this.started;
    if (previousReal) {
      this.kind = T.Newline;
      this.value = '';
      this.start = this.end = this.lastEnd;
      this.dedents(this.lastEnd, [], 0, 0);
      this.queue.push({ kind: T.EOF, at: this.src.length });
      return;
    }
    this.kind = T.EOF;
    this.value = '';
    this.start = this.end = this.src.length;
  }

  /** Starts lexing: the first token (indentation before it is an error). */
  begin(): void {
    const src = this.src;
    // Leading blank and comment lines
    let p = 0;
    for (;;) {
      let i = 0;
      while (src.charCodeAt(p + i) === 32) i++;
      const c = src.charCodeAt(p + i);
      if (c === 10) {
        p += i + 1;
        continue;
      }
      if (c === 35) {
        let e = p + i;
        while (e < src.length && src.charCodeAt(e) !== 10) e++;
        this.extras.push({ type: 'comment', start: p + i, end: e });
        p = e < src.length ? e + 1 : e;
        continue;
      }
      if (p + i < src.length && i > 0) decline();
      if (c === 9 || c === 92) decline();
      break;
    }
    this.pos = p;
    this.lex();
    this.started = true;
  }

  // ---------------------------------------------------------------- helpers

  private is(value: string): boolean {
    return (this.kind === T.Op || this.kind === T.Keyword) && this.value === value;
  }

  private take(value: string, field: string | null = null): N {
    if (!this.is(value)) decline();
    const n = this.tok(value, this.start, this.end, field);
    this.next();
    return n;
  }

  private name(field: string | null = null): N {
    if (this.kind !== T.Name) decline();
    const n = this.leaf('identifier', this.start, this.end, field);
    this.next();
    return n;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) decline();
  }

  // ---------------------------------------------------------------- statements

  module(): N {
    this.begin();
    const children: N[] = [];
    while (this.kind !== T.EOF) this.statement(children);
    return { type: 'module', field: null, named: true, missing: false, start: 0, end: this.src.length, line: 0, column: 0, children };
  }

  private statement(out: N[]): void {
    if (this.kind === T.Keyword) {
      switch (this.value) {
        case 'if':
          return void out.push(this.ifStatement());
        case 'for':
          return void out.push(this.forStatement());
        case 'while':
          return void out.push(this.whileStatement());
        case 'try':
          return void out.push(this.tryStatement());
        case 'with':
          return void out.push(this.withStatement());
        case 'def':
          return void out.push(this.functionDefinition());
        case 'class':
          return void out.push(this.classDefinition());
        case 'async': {
          const async = this.take('async');
          const inner = this.is('def') ? this.functionDefinition() : this.is('for') ? this.forStatement() : this.is('with') ? this.withStatement() : decline();
          inner.children.unshift(async);
          inner.start = async.start;
          this.locate(inner);
          return void out.push(inner);
        }
        default:
          break;
      }
    } else if (this.is('@')) {
      return void out.push(this.decorated());
    } else if (this.kind === T.Name && this.value === 'match' && this.startsMatch()) {
      return void out.push(this.matchStatement());
    } else if (this.kind !== T.Name && this.kind !== T.Number && this.kind !== T.String && this.kind !== T.Op) {
      decline();
    }
    this.simpleStatements(out);
  }

  /** simple (';' simple)* [';'] NEWLINE: flattened into the block or module, as tree-sitter's hidden _simple_statements are. */
  private simpleStatements(out: N[]): number {
    for (;;) {
      out.push(this.simpleStatement());
      if (this.is(';')) {
        out.push(this.take(';'));
        if (this.kind === T.Newline) break;
        continue;
      }
      break;
    }
    if (this.kind !== T.Newline) decline();
    const newline = this.start;
    this.next();
    return newline;
  }

  private simpleStatement(): N {
    if (this.kind === T.Keyword) {
      switch (this.value) {
        case 'pass':
        case 'break':
        case 'continue': {
          const word = this.value;
          const t = this.take(STATEMENT_KEYWORD[word]!);
          return node(STATEMENT_TYPE[word]!, [t]);
        }
        case 'return': {
          const children = [this.take('return')];
          if (!this.endOfSimple()) children.push(this.expressions());
          return node('return_statement', children);
        }
        case 'del':
        {
          const del = this.take('del');
          const targets = this.expressions();
          // `del a + b` is not Python (tree-sitter accepts any expression).
          if (!DELETABLE.has(targets.type)) decline();
          return node('delete_statement', [del, targets]);
        }
        case 'raise': {
          const children = [this.take('raise')];
          if (!this.endOfSimple()) {
            children.push(this.expression());
            if (this.is('from')) children.push(this.take('from'), withField(this.expression(), 'cause'));
          }
          return node('raise_statement', children);
        }
        case 'global':
        case 'nonlocal': {
          const word = this.value;
          const children = [this.take(STATEMENT_KEYWORD[word]!), this.name()];
          while (this.is(',')) children.push(this.take(','), this.name());
          return node(STATEMENT_TYPE[word]!, children);
        }
        case 'assert': {
          const children = [this.take('assert'), this.expression()];
          if (this.is(',')) children.push(this.take(','), this.expression());
          return node('assert_statement', children);
        }
        case 'import':
          return this.importStatement();
        case 'from':
          return this.importFrom();
        default:
          break;
      }
    }
    if (this.kind === T.Name && isSoft(this.value)) {
      // print/exec (Python 2 statements), match, type: only as a call or a plain name in an assignment.
      const s = this.save();
      this.next();
      const ok = (this.is('(') && (s.value === 'print' || s.value === 'exec')) || this.is('=') || this.is('.') || ((this.kind as T) === T.Op && AUGMENTED.has(this.value));
      this.restore(s);
      if (!ok) decline();
    }
    return this.expressionStatement();
  }

  private endOfSimple(): boolean {
    return this.kind === T.Newline || this.is(';');
  }

  private importStatement(): N {
    const children = [this.take('import')];
    for (;;) {
      children.push(this.importName());
      if (!this.is(',')) break;
      children.push(this.take(','));
    }
    return node('import_statement', children);
  }

  private importName(): N {
    const dotted = this.dottedName('name');
    if (!this.is('as')) return dotted;
    return node('aliased_import', [dotted, this.take('as'), this.name('alias')], 'name');
  }

  private dottedName(field: string | null): N {
    const children = [this.name()];
    while (this.is('.')) children.push(this.take('.'), this.name());
    return node('dotted_name', children, field);
  }

  private importFrom(): N {
    const children = [this.take('from')];
    if (this.is('.')) {
      const dots: N[] = [];
      while (this.is('.')) dots.push(this.take('.'));
      const parts = [node('import_prefix', dots)];
      if (this.kind === T.Name) parts.push(this.dottedName(null));
      children.push(node('relative_import', parts, 'module_name'));
    } else {
      if (this.value === '__future__') decline();
      children.push(this.dottedName('module_name'));
    }
    children.push(this.take('import'));
    if (this.is('*')) {
      const star = this.take('*');
      children.push(node('wildcard_import', [star]));
    } else {
      const parenthesised = this.is('(');
      if (parenthesised) children.push(this.take('('));
      for (;;) {
        children.push(this.importName());
        if (!this.is(',')) break;
        children.push(this.take(','));
        if (parenthesised && this.is(')')) break;
      }
      if (parenthesised) children.push(this.take(')'));
    }
    return node('import_from_statement', children);
  }

  private expressionStatement(): N {
    if (this.is('yield')) return node('expression_statement', [this.yieldExpression()]);
    const first = this.starredList(true);
    if (this.is('=')) {
      if (first.type === 'list_splat') decline(); // CPython: a starred target must be in a list or tuple
      const right = this.assignmentChain();
      return node('expression_statement', [node('assignment', [withField(pattern(first), 'left'), ...right])]);
    }
    if (this.is(':') && first.type !== '<list>') {
      const left = withField(pattern(first), 'left');
      if (left.type !== 'identifier' && left.type !== 'attribute' && left.type !== 'subscript') decline();
      const children = [left, this.take(':'), this.type('type')];
      if (this.is('=')) children.push(this.take('='), withField(this.rightHandSide(), 'right'));
      return node('expression_statement', [node('assignment', children)]);
    }
    if (this.kind === T.Op && AUGMENTED.has(this.value)) {
      const left = withField(pattern(first), 'left');
      if (left.type !== 'identifier' && left.type !== 'attribute' && left.type !== 'subscript') decline();
      const op = this.take(this.value, 'operator');
      return node('expression_statement', [node('augmented_assignment', [left, op, withField(this.rightHandSide(), 'right')])]);
    }
    if (first.type === '<list>') {
      for (const c of first.children) if (c.type === 'list_splat') decline();
      return node('expression_statement', first.children);
    }
    if (first.type === 'list_splat') decline();
    return node('expression_statement', [first]);
  }

  /** `= rhs (= rhs)*`, right-nested: a = b = c is assignment(a, =, assignment(b, =, c)). */
  private assignmentChain(): N[] {
    const eq = this.take('=');
    const rhs = this.rightHandSide();
    if (this.is('=')) {
      if (rhs.type === 'yield') decline();
      const rest = this.assignmentChain();
      return [eq, node('assignment', [withField(pattern(rhs), 'left'), ...rest], 'right')];
    }
    return [eq, withField(rhs, 'right')];
  }

  /** expression | expression_list | yield (a list here is still a '<list>' pseudo node until its role is known). */
  private rightHandSide(): N {
    if (this.is('yield')) return this.yieldExpression();
    const list = this.starredList(false);
    if (this.is('=')) return list;
    return expressionList(list);
  }

  private yieldExpression(): N {
    const children = [this.take('yield')];
    if (this.is('from')) {
      children.push(this.take('from'), this.expression());
    } else if (!this.endOfSimple() && !this.is(')') && !this.is('=')) {
      children.push(this.expressions());
    }
    return node('yield', children);
  }

  /** expression (',' expression)* [','], stars allowed when `stars`: one node, or a '<list>' pseudo node of the items and commas. */
  private starredList(stars: boolean): N {
    const items: N[] = [];
    let comma = false;
    for (;;) {
      if (this.is('*')) {
        if (!stars) decline();
        items.push(this.listSplat());
      } else {
        items.push(this.expression());
      }
      if (!this.is(',')) break;
      comma = true;
      items.push(this.take(','));
      if (this.endOfSimple() || this.is('=') || this.is(':') || (this.kind === T.Op && AUGMENTED.has(this.value))) break;
    }
    if (!comma) return items[0]!;
    const first = items[0]!;
    return { type: '<list>', field: null, named: false, missing: false, start: first.start, end: items[items.length - 1]!.end, line: first.line, column: first.column, children: items };
  }

  /** expression or expression_list, no stars (return, del, for … in, yield). */
  private expressions(): N {
    return expressionList(this.starredList(false));
  }

  private suite(field: string, out: N[]): void {
    this.enter();
    if (this.kind === T.Indent) {
      this.next();
      const children: N[] = [];
      while ((this.kind as T) !== T.Dedent) {
        if ((this.kind as T) === T.EOF) decline();
        this.statement(children);
      }
      const block = node('block', children, field);
      block.end = this.start; // the dedent's position: comments before it are in the block
      this.next();
      out.push(block);
    } else {
      if (this.kind === T.Newline) decline(); // a header with an empty body
      const children: N[] = [];
      const newline = this.simpleStatements(children);
      const block = node('block', children, field);
      block.end = newline;
      out.push(block);
    }
    this.depth--;
  }

  private ifStatement(): N {
    const children = [this.take('if'), withField(this.namedExpressionTest(), 'condition'), this.take(':')];
    this.suite('consequence', children);
    while (this.is('elif')) {
      const clause = [this.take('elif'), withField(this.namedExpressionTest(), 'condition'), this.take(':')];
      this.suite('consequence', clause);
      children.push(node('elif_clause', clause, 'alternative'));
    }
    if (this.is('else')) children.push(this.elseClause('alternative'));
    return node('if_statement', children);
  }

  private elseClause(field: string | null): N {
    const clause = [this.take('else'), this.take(':')];
    this.suite('body', clause);
    return node('else_clause', clause, field);
  }

  private forStatement(): N {
    const children = [this.take('for'), withField(this.targets(), 'left'), this.take('in'), withField(this.expressions(), 'right'), this.take(':')];
    this.suite('body', children);
    if (this.is('else')) children.push(this.elseClause('alternative'));
    return node('for_statement', children);
  }

  private whileStatement(): N {
    const children = [this.take('while'), withField(this.namedExpressionTest(), 'condition'), this.take(':')];
    this.suite('body', children);
    if (this.is('else')) children.push(this.elseClause('alternative'));
    return node('while_statement', children);
  }

  private tryStatement(): N {
    const children = [this.take('try'), this.take(':')];
    this.suite('body', children);
    let handlers = 0;
    while (this.is('except')) {
      handlers++;
      const clause = [this.take('except')];
      if (this.is('*')) decline();
      if (!this.is(':')) {
        const value = this.expression();
        if (this.is(',')) decline();
        if (this.is('as')) {
          if (value.type === 'conditional_expression' || value.type === 'lambda') decline();
          const as = this.take('as');
          const target = this.name();
          clause.push(node('as_pattern', [value, as, node('as_pattern_target', [target], 'alias')], 'value'));
        } else {
          clause.push(withField(value, 'value'));
        }
      }
      clause.push(this.take(':'));
      const body: N[] = [];
      this.suite('', body);
      for (const b of body) if (b.type === 'block') b.field = null;
      clause.push(...body);
      children.push(node('except_clause', clause));
    }
    if (this.is('else')) {
      if (handlers === 0) decline();
      children.push(this.elseClause(null));
    }
    if (this.is('finally')) {
      const clause = [this.take('finally'), this.take(':')];
      const body: N[] = [];
      this.suite('', body);
      for (const b of body) if (b.type === 'block') b.field = null;
      clause.push(...body);
      children.push(node('finally_clause', clause));
    } else if (handlers === 0) {
      decline();
    }
    return node('try_statement', children);
  }

  private withStatement(): N {
    const children = [this.take('with')];
    if (this.is('(')) decline();
    const items: N[] = [];
    for (;;) {
      const value = this.expression();
      if (this.is('as')) {
        // tree-sitter's as_pattern binds tighter than a conditional expression or a lambda (their precedences are negative)
        if (value.type === 'conditional_expression' || value.type === 'lambda') decline();
        const as = this.take('as');
        const target = this.name();
        items.push(node('with_item', [node('as_pattern', [value, as, node('as_pattern_target', [target], 'alias')], 'value')]));
      } else {
        items.push(node('with_item', [withField(value, 'value')]));
      }
      if (!this.is(',')) break;
      items.push(this.take(','));
    }
    children.push(node('with_clause', items), this.take(':'));
    this.suite('body', children);
    return node('with_statement', children);
  }

  private functionDefinition(): N {
    const children = [this.take('def'), this.name('name')];
    if (!this.is('(')) decline();
    const open = this.take('(');
    const params = [open, ...this.parameters(')', true)];
    params.push(this.take(')'));
    children.push(node('parameters', params, 'parameters'));
    if (this.is('->')) children.push(this.take('->'), this.type('return_type'));
    children.push(this.take(':'));
    this.suite('body', children);
    return node('function_definition', children);
  }

  /** Parameters up to `close` (not taken): identifiers, defaults, annotations (not in lambdas), *, /, *args, **kwargs. */
  private parameters(close: string, typed: boolean): N[] {
    const out: N[] = [];
    // A parameter without a default after one with a default, before any `*`, is not Python (tree-sitter accepts it).
    let defaults = false;
    let keywordOnly = false;
    while (!this.is(close)) {
      const before = out.length;
      if (this.is('/')) {
        const slash = this.take('/');
        out.push(node('positional_separator', [slash]));
      } else if (this.is('*') || this.is('**')) {
        const star = this.value;
        const op = this.take(star);
        if (star === '*' && (this.is(',') || this.is(close))) {
          out.push(node('keyword_separator', [op]));
        } else {
          const splat = node(star === '*' ? 'list_splat_pattern' : 'dictionary_splat_pattern', [op, this.name()]);
          if (typed && this.is(':')) out.push(node('typed_parameter', [splat, this.take(':'), this.type('type')]));
          else out.push(splat);
        }
      } else {
        const name = this.name();
        if (typed && this.is(':')) {
          const colon = this.take(':');
          const type = this.type('type');
          if (this.is('=')) out.push(node('typed_default_parameter', [withField(name, 'name'), colon, type, this.take('='), withField(this.expression(), 'value')]));
          else out.push(node('typed_parameter', [name, colon, type]));
        } else if (this.is('=')) {
          out.push(node('default_parameter', [withField(name, 'name'), this.take('='), withField(this.expression(), 'value')]));
        } else {
          out.push(name);
        }
      }
      const added = out[before]!;
      if (added.type === 'default_parameter' || added.type === 'typed_default_parameter') defaults = true;
      else if (added.type === 'identifier' || (added.type === 'typed_parameter' && added.children[0]!.type === 'identifier')) {
        if (defaults && !keywordOnly) decline();
      } else if (added.type !== 'positional_separator') keywordOnly = true;
      if (!this.is(',')) break;
      out.push(this.take(','));
    }
    return out;
  }

  private classDefinition(): N {
    const children = [this.take('class'), this.name('name')];
    if (this.is('[')) decline();
    if (this.is('(')) children.push(withField(this.argumentList(), 'superclasses'));
    children.push(this.take(':'));
    this.suite('body', children);
    return node('class_definition', children);
  }

  private decorated(): N {
    const children: N[] = [];
    while (this.is('@')) {
      const parts = [this.take('@'), this.expression()];
      if (this.kind !== T.Newline || this.leastCommentIndent < this.indents[this.indents.length - 1]!) decline();
      const decorator = node('decorator', parts);
      decorator.end = this.start; // its newline: a comment after the expression is in the decorator
      this.next();
      children.push(decorator);
    }
    if (this.is('async')) {
      const async = this.take('async');
      if (!this.is('def')) decline();
      const inner = this.functionDefinition();
      inner.children.unshift(async);
      inner.start = async.start;
      this.locate(inner);
      children.push(withField(inner, 'definition'));
    } else if (this.is('def')) children.push(withField(this.functionDefinition(), 'definition'));
    else if (this.is('class')) children.push(withField(this.classDefinition(), 'definition'));
    else decline();
    return node('decorated_definition', children);
  }

  /** `match` followed by a subject tree-sitter reads as one: a name, a literal or a dict (not `[` or `(`, which it reads as a subscript or call of `match`). */
  private startsMatch(): boolean {
    const s = this.save();
    this.next();
    const yes = (this.kind === T.Name && !isSoft(this.value)) || this.kind === T.Number || this.kind === T.String || this.is('{');
    this.restore(s);
    return yes;
  }

  private matchStatement(): N {
    const start = this.start;
    this.next();
    const children: N[] = [this.tok('match', start, start + 5)];
    for (;;) {
      children.push(withField(this.expression(), 'subject'));
      if (!this.is(',')) break;
      children.push(this.take(','));
      if (this.is(':')) break;
    }
    children.push(this.take(':'));
    // The match block holds its own indent (tree-sitter's _match_block), unlike other blocks.
    if (this.kind !== T.Indent) decline();
    const indent = this.start;
    this.next();
    const clauses: N[] = [];
    while ((this.kind as T) !== T.Dedent) {
      if ((this.kind as T) !== T.Name || this.value !== 'case') decline();
      clauses.push(this.caseClause());
    }
    const block = node('block', clauses, 'body');
    block.start = indent;
    this.locate(block);
    block.end = this.start;
    this.next();
    children.push(block);
    return node('match_statement', children);
  }

  private caseClause(): N {
    const start = this.start;
    this.next();
    const children: N[] = [this.tok('case', start, start + 4)];
    for (;;) {
      children.push(this.casePattern());
      if (!this.is(',')) break;
      children.push(this.take(','));
      if (this.is(':') || this.is('if')) break;
    }
    if (this.is('if')) children.push(node('if_clause', [this.take('if'), this.expression()], 'guard'));
    children.push(this.take(':'));
    this.suite('consequence', children);
    return node('case_clause', children, 'alternative');
  }

  /** case_pattern: an as_pattern, a keyword_pattern (in class patterns), or a simple pattern (a union of them). */
  private casePattern(keyword = false): N {
    this.enter();
    let inner: N[];
    if (keyword && this.kind === T.Name && this.nextChars('=')) {
      const name = this.patternName();
      inner = [node('keyword_pattern', [name, this.take('='), ...this.unionPattern()])];
    } else {
      inner = this.unionPattern();
    }
    let result = node('case_pattern', inner);
    if (this.is('as')) {
      const as = this.take('as');
      result = node('case_pattern', [node('as_pattern', [result, as, this.patternName()])]);
      if (this.is('as')) decline();
    }
    this.depth--;
    return result;
  }

  private patternName(): N {
    if (this.kind !== T.Name || isSoft(this.value) || this.value === '_') decline();
    return this.name();
  }

  /** A simple pattern, or a union_pattern of several (their nodes flat: `-1` is two of them). */
  private unionPattern(): N[] {
    const first = this.simplePattern();
    if (!this.is('|')) return first;
    const children = [...first];
    while (this.is('|')) children.push(this.take('|'), ...this.simplePattern());
    return [node('union_pattern', children)];
  }

  private simplePattern(): N[] {
    const start = this.start;
    if (this.kind === T.Name) {
      if (this.value === '_') {
        this.next();
        if (this.is('.') || this.is('(')) decline();
        return [this.tok('_', start, start + 1)];
      }
      if (isSoft(this.value)) decline();
      const dotted = this.dottedName(null);
      if (!this.is('(')) return [dotted];
      const children = [dotted, this.take('(')];
      while (!this.is(')')) {
        children.push(this.casePattern(true));
        if (!this.is(',')) break;
        children.push(this.take(','));
      }
      children.push(this.take(')'));
      return [node('class_pattern', children)];
    }
    if (this.kind === T.Keyword && (this.value === 'True' || this.value === 'False' || this.value === 'None')) {
      const n = this.leaf(this.value === 'True' ? 'true' : this.value === 'False' ? 'false' : 'none', start, this.end);
      this.next();
      return [n];
    }
    if (this.kind === T.Number || this.is('-')) {
      const out: N[] = [];
      if (this.is('-')) out.push(this.take('-'));
      if (this.kind !== T.Number) decline();
      out.push(this.leaf(this.value, this.start, this.end));
      this.next();
      if (this.is('+') || this.is('-')) decline(); // complex literals
      return out;
    }
    if (this.kind === T.String) {
      // not an f-string: a pattern cannot hold one
      const n = this.strings();
      const starts = n.type === 'string' ? [n] : n.children;
      for (const part of starts) if (/[fF]/.test(this.src.slice(part.start, part.children[0]!.end))) decline();
      return [n];
    }
    if (this.is('*') || this.is('**')) {
      const op = this.take(this.value);
      if ((this.kind as T) === T.Name && this.value === '_') {
        const under = this.tok('_', this.start, this.end);
        this.next();
        return [node('splat_pattern', [op, under])];
      }
      return [node('splat_pattern', [op, this.patternName()])];
    }
    if (this.is('[') || this.is('(')) {
      const open = this.value;
      const close = open === '[' ? ']' : ')';
      const children = [this.take(open)];
      while (!this.is(close)) {
        children.push(this.casePattern());
        if (!this.is(',')) break;
        children.push(this.take(','));
      }
      children.push(this.take(close));
      return [node(open === '[' ? 'list_pattern' : 'tuple_pattern', children)];
    }
    if (this.is('{')) {
      const children = [this.take('{')];
      while (!this.is('}')) {
        if (this.is('**')) {
          const op = this.take('**');
          children.push(node('splat_pattern', [op, this.patternName()]));
        } else {
          const key = this.simplePattern();
          for (const k of key) if (k.named) k.field = 'key';
          children.push(...key, this.take(':'), withField(this.casePattern(), 'value'));
        }
        if (!this.is(',')) break;
        children.push(this.take(','));
      }
      children.push(this.take('}'));
      return [node('dict_pattern', children)];
    }
    decline();
  }

  /** A type annotation: `type` around an expression, or a generic_type for Name[...]. Other subscripts decline. */
  private type(field: string | null): N {
    this.enter();
    const e = this.expression();
    this.depth--;
    return node('type', [typeOf(e)], field);
  }

  // ---------------------------------------------------------------- targets

  /** for-loop and comprehension targets: pattern or pattern_list. */
  private targets(): N {
    const items: N[] = [];
    let comma = false;
    for (;;) {
      items.push(pattern(this.is('*') ? this.listSplat() : this.bitOr()));
      if (!this.is(',')) break;
      comma = true;
      items.push(this.take(','));
      if (this.is('in')) break;
    }
    return comma ? node('pattern_list', items) : items[0]!;
  }

  // ---------------------------------------------------------------- expressions

  /** expression, with an unparenthesised `name := value` (if/elif/while conditions). */
  private namedExpressionTest(): N {
    if (this.kind === T.Name && this.nextChars(':=') && !isSoft(this.value)) {
      const name = this.name();
      const walrus = this.take(':=');
      const value = this.expression();
      // tree-sitter: `n := a if b else c` is (n := a) if b else c (the conditional's precedence is negative)
      if (value.type === 'conditional_expression') decline();
      return node('named_expression', [withField(name, 'name'), walrus, withField(value, 'value')]);
    }
    return this.expression();
  }

  /**
   * Whether the next token (after the current one) is the operator `op` (':=' or '='), read from the
   * source without lexing: the hot lookahead of every call argument. Anything but spaces and tabs
   * in between (a line break, a comment, a continuation) falls back to lexing ahead and rewinding.
   */
  private nextChars(op: string): boolean {
    const src = this.src;
    let p = this.pos;
    let c = src.charCodeAt(p);
    while (c === 32 || c === 9) c = src.charCodeAt(++p);
    if (c === 10 || c === 35 || c === 92) return this.peekIs(op);
    if (op === '=') return c === 61 && src.charCodeAt(p + 1) !== 61;
    return c === 58 && src.charCodeAt(p + 1) === 61;
  }

  expression(): N {
    this.enter();
    let result: N;
    if (this.is('lambda')) {
      result = this.lambda();
    } else {
      const test = this.disjunction();
      if (this.is('if')) {
        const children = [test, this.take('if'), this.disjunction(), this.take('else'), this.expression()];
        result = node('conditional_expression', children);
      } else {
        result = test;
      }
    }
    this.depth--;
    return result;
  }

  private lambda(): N {
    const children = [this.take('lambda')];
    if (!this.is(':')) {
      const params = this.parameters(':', false);
      children.push(node('lambda_parameters', params, 'parameters'));
    }
    children.push(this.take(':'), withField(this.expression(), 'body'));
    return node('lambda', children);
  }

  private disjunction(): N {
    let left = this.conjunction();
    while (this.is('or')) {
      const op = this.take('or');
      left = node('boolean_operator', [withField(left, 'left'), op, withField(this.conjunction(), 'right')]);
    }
    return left;
  }

  private conjunction(): N {
    let left = this.inversion();
    while (this.is('and')) {
      const op = this.take('and');
      left = node('boolean_operator', [withField(left, 'left'), op, withField(this.inversion(), 'right')]);
    }
    return left;
  }

  private inversion(): N {
    if (this.is('not')) {
      this.enter();
      const op = this.take('not');
      const n = node('not_operator', [op, withField(this.inversion(), 'argument')]);
      this.depth--;
      return n;
    }
    return this.comparison();
  }

  private comparison(): N {
    const first = this.bitOr();
    // Most operands are followed by neither a comparison operator nor a keyword.
    if (this.kind === T.Op ? this.opClass !== COMPARISON_OP : this.kind !== T.Keyword) return first;
    const children = [first];
    for (;;) {
      if (this.kind === T.Op && this.opClass === COMPARISON_OP) {
        children.push(this.take(this.value));
      } else if (this.is('in')) {
        children.push(this.take('in'));
      } else if (this.is('not')) {
        const s = this.save();
        const not = this.take('not');
        if (!this.is('in')) {
          this.restore(s);
          break;
        }
        const inn = this.take('in');
        const pair = this.tok('not in', not.start, inn.end);
        pair.children = [not, inn];
        children.push(pair);
      } else if (this.is('is')) {
        const is = this.take('is');
        if (this.is('not')) {
          const not = this.take('not');
          const pair = this.tok('is not', is.start, not.end);
          pair.children = [is, not];
          children.push(pair);
        } else {
          children.push(is);
        }
      } else {
        break;
      }
      children.push(this.bitOr());
    }
    return children.length === 1 ? first : node('comparison_operator', children);
  }

  private bitOr(): N {
    return this.binary(14);
  }

  /** Precedence climbing over tree-sitter-python's binary precedences. */
  private binary(min: number): N {
    this.enter();
    let left = this.unary();
    for (;;) {
      if (this.kind !== T.Op) break;
      const prec = this.opClass; // below 14 for anything but a binary operator, and min is at least 14
      if (prec < min) break;
      const op = this.take(this.value, 'operator');
      const right = this.binary(prec === 21 ? 21 : prec + 1);
      left = node('binary_operator', [withField(left, 'left'), op, withField(right, 'right')]);
    }
    this.depth--;
    return left;
  }

  private unary(): N {
    if (this.kind === T.Op && (this.value === '-' || this.value === '+' || this.value === '~')) {
      const op = this.take(this.value, 'operator');
      return node('unary_operator', [op, withField(this.binary(21), 'argument')]);
    }
    if (this.is('await')) {
      // prec.unary like the unary operators: `await x ** 2` is await(x ** 2) in tree-sitter.
      const op = this.take('await');
      return node('await', [op, this.binary(21)]);
    }
    return this.postfix();
  }

  private postfix(): N {
    let e = this.atom();
    for (;;) {
      if (this.is('.')) {
        const dot = this.take('.');
        e = node('attribute', [withField(e, 'object'), dot, this.name('attribute')]);
      } else if (this.is('(')) {
        const args = withField(this.callArguments(), 'arguments');
        e = node('call', this.variant === 'call-drops-arguments' ? [withField(e, 'function')] : [withField(e, 'function'), args]);
      } else if (this.is('[')) {
        e = this.subscript(e);
      } else {
        return e;
      }
    }
  }

  private subscript(value: N): N {
    const children = [withField(value, 'value'), this.take('[')];
    for (;;) {
      children.push(withField(this.sliceOrExpression(), 'subscript'));
      if (!this.is(',')) break;
      children.push(this.take(','));
      if (this.is(']')) break;
    }
    children.push(this.take(']'));
    return node('subscript', children);
  }

  private sliceOrExpression(): N {
    const parts: N[] = [];
    if (!this.is(':')) {
      const e = this.namedExpressionTest();
      if (!this.is(':')) return e;
      parts.push(e);
    }
    parts.push(this.take(':'));
    if (!this.is(':') && !this.is(',') && !this.is(']')) parts.push(this.expression());
    if (this.is(':')) {
      parts.push(this.take(':'));
      if (!this.is(',') && !this.is(']')) parts.push(this.expression());
    }
    return node('slice', parts);
  }

  /** argument_list, or a generator_expression as the only argument. */
  private callArguments(): N {
    const open = this.take('(');
    if (this.is(')')) return node('argument_list', [open, this.take(')')]);
    const children = [open];
    // After a keyword argument no positional one, after `**` no `*` either (tree-sitter accepts both).
    let keywords = false;
    let doubleStar = false;
    for (;;) {
      if (this.is('*') || this.is('**')) {
        const star = this.value;
        if (doubleStar) decline();
        if (star === '**') doubleStar = true;
        const op = this.take(star);
        children.push(node(star === '*' ? 'list_splat' : 'dictionary_splat', [op, this.expression()]));
      } else if (this.kind === T.Name && this.nextChars('=')) {
        keywords = true;
        const name = this.leaf('identifier', this.start, this.end, 'name');
        this.next();
        children.push(node('keyword_argument', [name, this.take('='), withField(this.expression(), 'value')]));
      } else {
        const e = this.namedExpressionTest();
        if ((this.is('for') || this.is('async')) && children.length === 1) {
          const body = [open, withField(e, 'body')];
          this.comprehensionClauses(body);
          body.push(this.take(')'));
          return node('generator_expression', body);
        }
        if (e.type === 'parenthesized_expression' && e.children[1]!.type === 'list_splat') decline();
        if (keywords || doubleStar) decline();
        children.push(e);
      }
      if (!this.is(',')) break;
      children.push(this.take(','));
      if (this.is(')')) break;
    }
    children.push(this.take(')'));
    return node('argument_list', children);
  }

  private peekIs(value: string): boolean {
    const s = this.save();
    this.next();
    const yes = this.is(value);
    this.restore(s);
    return yes;
  }

  private argumentList(): N {
    const n = this.callArguments();
    if (n.type !== 'argument_list') decline();
    return n;
  }

  private comprehensionClauses(out: N[]): void {
    if (!this.is('for') && !this.is('async')) decline();
    while (this.is('for') || this.is('if') || this.is('async')) {
      if (!this.is('if')) {
        const clause = this.is('async') ? [this.take('async')] : [];
        clause.push(this.take('for'), withField(this.targets(), 'left'), this.take('in'), withField(this.disjunction(), 'right'));
        if (this.is(',') || this.is('lambda')) decline();
        out.push(node('for_in_clause', clause));
      } else {
        out.push(node('if_clause', [this.take('if'), this.disjunction()]));
      }
    }
  }

  private listSplat(): N {
    const op = this.take('*');
    return node('list_splat', [op, this.bitOr()]);
  }

  /** Elements of a list, tuple or set display: expressions (named allowed), list_splats, commas. */
  private elements(close: string, first: N, out: N[]): void {
    out.push(first);
    while (this.is(',')) {
      out.push(this.take(','));
      if (this.is(close)) break;
      out.push(this.is('*') ? this.listSplat() : this.namedExpressionTest());
    }
  }

  private atom(): N {
    const start = this.start;
    switch (this.kind) {
      case T.Name: {
        if (isSoft(this.value)) {
          // print/exec only as called; match/type/case as plain names (tree-sitter aliases them to identifier).
          // (At a statement's start simpleStatement has already required a call or an assignment.)
          const n = this.leaf('identifier', start, this.end);
          this.next();
          return n;
        }
        return this.name();
      }
      case T.Number: {
        const n = this.leaf(this.value, start, this.end);
        this.next();
        return n;
      }
      case T.String:
        return this.strings();
      case T.Keyword: {
        const word = this.value;
        if (word === 'True' || word === 'False' || word === 'None') {
          const n = this.leaf(word === 'True' ? 'true' : word === 'False' ? 'false' : 'none', start, this.end);
          this.next();
          return n;
        }
        decline();
      }
      // falls through (decline never returns)
      case T.Op:
        break;
      default:
        decline();
    }
    const v = this.value;
    if (v === '...') {
      const n = this.leaf('ellipsis', start, this.end);
      this.next();
      return n;
    }
    this.enter();
    let result: N;
    if (v === '(') result = this.parenthesised();
    else if (v === '[') result = this.squareBrackets();
    else if (v === '{') result = this.braces();
    else decline();
    this.depth--;
    return result;
  }

  private parenthesised(): N {
    const open = this.take('(');
    if (this.is(')')) return node('tuple', [open, this.take(')')]);
    if (this.is('yield')) {
      const y = this.yieldExpression();
      return node('parenthesized_expression', [open, y, this.take(')')]);
    }
    const first = this.is('*') ? this.listSplat() : this.namedExpressionTest();
    if (this.is('for') || this.is('async')) {
      if (first.type === 'list_splat') decline();
      const children = [open, withField(first, 'body')];
      this.comprehensionClauses(children);
      children.push(this.take(')'));
      return node('generator_expression', children);
    }
    if (this.is(')')) {
      if (first.type === 'list_splat') decline();
      return node('parenthesized_expression', [open, first, this.take(')')]);
    }
    const children = [open];
    this.elements(')', first, children);
    children.push(this.take(')'));
    return node('tuple', children);
  }

  private squareBrackets(): N {
    const open = this.take('[');
    if (this.is(']')) return node('list', [open, this.take(']')]);
    return this.display(open, this.is('*') ? this.listSplat() : this.namedExpressionTest(), ']', 'list_comprehension', 'list');
  }

  /** The rest of a list or set display after its first element: a comprehension, or more elements. */
  private display(open: N, first: N, close: string, comprehension: string, display: string): N {
    if (this.is('for') || this.is('async')) {
      if (first.type === 'list_splat') decline();
      const children = [open, withField(first, 'body')];
      this.comprehensionClauses(children);
      children.push(this.take(close));
      return node(comprehension, children);
    }
    const children = [open];
    this.elements(close, first, children);
    children.push(this.take(close));
    plainSplats(children);
    return node(display, children);
  }

  private braces(): N {
    const open = this.take('{');
    if (this.is('}')) return node('dictionary', [open, this.take('}')]);
    let first: N | undefined;
    if (!this.is('**')) {
      first = this.is('*') ? this.listSplat() : this.namedExpressionTest();
      if (!this.is(':')) return this.display(open, first, '}', 'set_comprehension', 'set');
      if (first.type === 'list_splat' || first.type === 'named_expression') decline();
    }
    const children = [open];
    for (;;) {
      if (!first && this.is('**')) {
        const op = this.take('**');
        children.push(node('dictionary_splat', [op, this.bitOr()]));
      } else {
        const key = first ?? this.expression();
        first = undefined;
        const pair = node('pair', [withField(key, 'key'), this.take(':'), withField(this.expression(), 'value')]);
        if (this.is('for') || this.is('async')) {
          if (children.length !== 1) decline();
          const body = [open, withField(pair, 'body')];
          this.comprehensionClauses(body);
          body.push(this.take('}'));
          return node('dictionary_comprehension', body);
        }
        children.push(pair);
      }
      if (!this.is(',')) break;
      children.push(this.take(','));
      if (this.is('}')) break;
    }
    children.push(this.take('}'));
    return node('dictionary', children);
  }

  // ---------------------------------------------------------------- strings

  /** One string, or a concatenated_string of several. */
  private strings(): N {
    const first = this.string();
    if (this.kind !== T.String) return first;
    const parts = [first];
    while (this.kind === T.String) parts.push(this.string());
    return node('concatenated_string', parts);
  }

  /** Reads a string literal straight from the source, as tree-sitter-python's scanner does; the lexer resumes after it. */
  private string(): N {
    const src = this.src;
    const start = this.start;
    let p = start;
    let raw = false;
    let bytes = false;
    let format = false;
    while (src.charCodeAt(p) !== 39 && src.charCodeAt(p) !== 34) {
      const c = src.charCodeAt(p) | 0x20;
      if (c === 114) raw = true;
      else if (c === 98) bytes = true;
      else if (c === 102) format = true;
      p++;
    }
    const quote = src[p]!;
    if (this.quotes.includes(quote)) decline();
    const triple = src[p + 1] === quote && src[p + 2] === quote;
    p += triple ? 3 : 1;
    const children: N[] = [this.leaf('string_start', start, p)];
    let content: N[] | undefined;
    let contentStart = -1;
    let contentEnd = -1;
    const flush = () => {
      if (content) {
        const piece = this.leaf('string_content', contentStart, contentEnd);
        piece.children = content;
        children.push(piece);
        content = undefined;
      }
    };
    const extend = (from: number, to: number, child?: N) => {
      if (!content) {
        content = [];
        contentStart = from;
      }
      contentEnd = to;
      if (child) content.push(child);
    };
    // The scanner's runs: a string_end or an interpolation reached after only skipped characters (raw
    // backslash pairs, bytes' \N) becomes part of that token in tree-sitter; such strings decline.
    let runStart = p;
    let runHas = false;
    const stop = () => {
      if (p > runStart && !runHas) decline();
    };
    for (;;) {
      if (p >= src.length) decline();
      const c = src.charCodeAt(p);
      if (c === 13 || c === 12 || c === 0) decline();
      if (c > 127 && bytes) decline();
      if (c >= 0xd800 && c <= 0xdfff) {
        // a surrogate pair is fine, a lone surrogate is not
        const d = src.charCodeAt(c < 0xdc00 ? p + 1 : p - 1);
        if (c >= 0xdc00 || !(d >= 0xdc00 && d <= 0xdfff)) decline();
      }
      if (src[p] === quote || (this.variant === 'escaped-quote-ends-string' && c === 92 && src[p + 1] === quote && !triple)) {
        if (this.variant && src[p] !== quote) p++;
        if (!triple) {
          stop();
          break;
        }
        if (src[p + 1] === quote && src[p + 2] === quote) {
          stop();
          break;
        }
        // one or two quotes inside a triple-quoted string: the scanner returns content including them
        const n = src[p + 1] === quote ? 2 : 1;
        extend(p, p + n);
        p += n;
        runStart = p;
        runHas = false;
        continue;
      }
      if (c === 10) {
        if (!triple) decline();
        extend(p, p + 1);
        p++;
        runHas = true;
        continue;
      }
      if (c === 92) {
        if (raw) {
          let q = p + 1;
          const d = src[q];
          if (d === quote || d === '\\') q++;
          if (src.charCodeAt(q) === 10) q++;
          if (q >= src.length) decline();
          extend(p, q);
          p = q;
          continue;
        }
        const d = src.charCodeAt(p + 1);
        if (bytes && (d === 78 || d === 117 || d === 85)) {
          extend(p, p + 2);
          p += 2;
          continue;
        }
        if (format && (d === 123 || d === 125)) decline();
        stop();
        const length = escapeLength(src, p);
        if (length > 0) {
          extend(p, p + length, this.leaf('escape_sequence', p, p + length));
          p += length;
        } else {
          extend(p, p + 1, this.tok('\\', p, p + 1));
          p++;
        }
        runStart = p;
        runHas = false;
        continue;
      }
      if (format && (c === 123 || c === 125)) {
        stop();
        if (src.charCodeAt(p + 1) === c) {
          extend(p, p + 2, this.leaf('escape_interpolation', p, p + 2));
          p += 2;
          runStart = p;
          runHas = false;
          continue;
        }
        if (c === 125) decline();
        flush();
        this.quotes.push(quote);
        const interpolation = this.interpolation(p, 'interpolation');
        this.quotes.pop();
        children.push(interpolation);
        p = interpolation.end;
        runStart = p;
        runHas = false;
        continue;
      }
      extend(p, p + 1);
      p++;
      runHas = true;
    }
    flush();
    const end = p + (triple ? 3 : 1);
    children.push(this.leaf('string_end', p, end));
    // Resume lexing after the string.
    this.pos = end;
    this.kind = T.Op;
    this.value = '';
    this.end = end;
    this.next();
    return node('string', children);
  }

  /** `{` expression [=] [!x] [:spec] `}` inside an f-string, starting at `at` (the `{`). */
  private interpolation(at: number, type: string): N {
    this.enter();
    const saved = this.brackets;
    this.brackets = ['{'];
    this.pos = at + 1;
    this.end = at + 1;
    this.kind = T.Op;
    this.lastEnd = at + 1;
    this.next();
    const children: N[] = [this.tok('{', at, at + 1)];
    if (this.is('}') || this.is('*') || this.is('yield') || this.is('lambda')) decline();
    const e = this.expression();
    if (this.is(',') || this.is(':=') || this.is('!=')) decline();
    children.push(withField(e, 'expression'));
    // The lexer has read the token after the expression; strings' closing characters are read by hand from here.
    let p = this.start;
    const src = this.src;
    if (this.extras.length > 0 && this.extras[this.extras.length - 1]!.start >= at) decline();
    if (this.is('=')) {
      children.push(this.tok('=', p, p + 1));
      p++;
    }
    if (src[p] === '!') {
      const d = src.charCodeAt(p + 1);
      // Only !r, !s and !a are Python (tree-sitter accepts any letter).
      if (d !== 114 && d !== 115 && d !== 97) decline();
      children.push(this.leaf('type_conversion', p, p + 2, 'type_conversion'));
      p += 2;
    }
    if (src[p] === ':') {
      const spec: N[] = [this.tok(':', p, p + 1)];
      p++;
      let specEnd = p;
      for (;;) {
        const c = src.charCodeAt(p);
        if (c === 125) break;
        if (c === 123) {
          const nested = this.interpolation(p, 'format_expression');
          spec.push(nested);
          p = specEnd = nested.end;
          continue;
        }
        if (c === 10 || c === 13 || c === 92 || c === 35 || c === 32 || c === 9 || c === 12 || p >= src.length || this.quotes.includes(src[p]!)) decline();
        let q = p;
        while (q < src.length && !/[{}\n\\#\s'"]/.test(src[q]!)) q++;
        p = specEnd = q; // text: a hidden token, part of the specifier's extent
      }
      const specifier = node('format_specifier', spec, 'format_specifier');
      specifier.end = specEnd;
      children.push(specifier);
    }
    if (src[p] !== '}') decline();
    children.push(this.tok('}', p, p + 1));
    this.brackets = saved;
    this.depth--;
    return node(type, children);
  }
}

/**
 * The operator at `p`, longest first, or a decline: a switch on character codes returning literals
 * (internalised strings, compared by pointer later). test/python/fast-lexer.test.ts checks it against
 * a longest match over the list of Python's operators.
 */
export function operatorAt(src: string, p: number): string {
  const c = src.charCodeAt(p);
  const d = src.charCodeAt(p + 1);
  switch (c) {
    case 40: return '(';
    case 41: return ')';
    case 91: return '[';
    case 93: return ']';
    case 123: return '{';
    case 125: return '}';
    case 44: return ',';
    case 59: return ';';
    case 126: return '~';
    case 46: return d === 46 && src.charCodeAt(p + 2) === 46 ? '...' : '.';
    case 61: return d === 61 ? '==' : '=';
    case 58: return d === 61 ? ':=' : ':';
    case 43: return d === 61 ? '+=' : '+';
    case 37: return d === 61 ? '%=' : '%';
    case 64: return d === 61 ? '@=' : '@';
    case 38: return d === 61 ? '&=' : '&';
    case 124: return d === 61 ? '|=' : '|';
    case 94: return d === 61 ? '^=' : '^';
    case 33: return d === 61 ? '!=' : decline();
    case 45: return d === 61 ? '-=' : d === 62 ? '->' : '-';
    case 42: return d === 42 ? (src.charCodeAt(p + 2) === 61 ? '**=' : '**') : d === 61 ? '*=' : '*';
    case 47: return d === 47 ? (src.charCodeAt(p + 2) === 61 ? '//=' : '//') : d === 61 ? '/=' : '/';
    case 60: return d === 60 ? (src.charCodeAt(p + 2) === 61 ? '<<=' : '<<') : d === 61 ? '<=' : '<';
    case 62: return d === 62 ? (src.charCodeAt(p + 2) === 61 ? '>>=' : '>>') : d === 61 ? '>=' : '>';
    default: return decline();
  }
}

/** The length of an escape sequence at `p` (a backslash), as tree-sitter-python's escape_sequence token matches it; 0 for none. */
function escapeLength(src: string, p: number): number {
  const c = src[p + 1];
  if (c === undefined) return 0;
  const hex = (n: number) => {
    for (let i = 0; i < n; i++) if (!isHex(src.charCodeAt(p + 2 + i))) return 0;
    return n + 2;
  };
  if (c === 'u') return hex(4);
  if (c === 'U') return hex(8);
  if (c === 'x') return hex(2);
  if (isDigit(src.charCodeAt(p + 1))) {
    let n = 1;
    while (n < 3 && isDigit(src.charCodeAt(p + 1 + n))) n++;
    return n + 1;
  }
  if (c === '\n') return 2;
  if ('\'"abfrntv\\'.includes(c)) return 2;
  if (c === 'N' && src[p + 2] === '{') {
    let q = p + 3;
    if (src[q] === '}') return 0;
    while (q < src.length && src[q] !== '}') q++;
    if (q >= src.length) return 0;
    // [^}]+ may cross a line or the closing quote in tree-sitter; that is not a realistic string, decline.
    if (/[\n'"\\]/.test(src.slice(p + 3, q))) decline();
    return q + 1 - p;
  }
  return 0;
}

/** In list and set displays tree-sitter reads `*a[0]` as (*a)[0] (its list_splat_pattern alias): only `*name` is read alike. */
function plainSplats(children: N[]): void {
  for (const c of children) if (c.type === 'list_splat' && c.children[1]!.type !== 'identifier') decline();
}

/** A '<list>' pseudo node as an expression_list, or the single expression. */
function expressionList(n: N): N {
  if (n.type !== '<list>') return n;
  for (const c of n.children) if (c.type === 'list_splat') decline();
  return node('expression_list', n.children);
}


/** An expression read before `=` (or in a for target) as tree-sitter's pattern. */
function pattern(n: N): N {
  switch (n.type) {
    case 'identifier':
    case 'attribute':
    case 'subscript':
      return n;
    case '<list>':
      return { ...n, type: 'pattern_list', named: true, children: n.children.map(patternChild) };
    case 'tuple':
      return { ...n, type: 'tuple_pattern', children: n.children.map(patternChild) };
    case 'list':
      return { ...n, type: 'list_pattern', children: n.children.map(patternChild) };
    case 'list_splat': {
      const target = n.children[1]!;
      if (target.type !== 'identifier' && target.type !== 'attribute' && target.type !== 'subscript') decline();
      return { ...n, type: 'list_splat_pattern' };
    }
    default:
      decline();
  }
}

function patternChild(n: N): N {
  return n.named ? pattern(n) : n;
}

/** A type's expression: Name[types] becomes generic_type; any other subscript in a type declines. */
function typeOf(e: N): N {
  if (e.type === 'subscript') {
    const value = e.children[0]!;
    if (value.type !== 'identifier') decline();
    const inner: N[] = [];
    for (let i = 2; i < e.children.length - 1; i++) {
      const c = e.children[i]!;
      if (!c.named) {
        inner.push(c);
        continue;
      }
      if (c.type === 'slice') decline();
      inner.push(node('type', [typeOf({ ...c, field: null })]));
    }
    const open = e.children[1]!;
    const close = e.children[e.children.length - 1]!;
    return node('generic_type', [{ ...value, field: null }, node('type_parameter', [open, ...inner, close])]);
  }
  noSubscript(e);
  return e;
}

function noSubscript(e: N): void {
  if (e.type === 'subscript' || e.type === 'lambda' || e.type === 'named_expression' || e.type === 'conditional_expression') decline();
  for (const c of e.children) noSubscript(c);
}

/**
 * Comments and line continuations are extras: each goes into the deepest node with tokens on both
 * sides of it (tree-sitter keeps leading and trailing extras out of a node). Places are found first
 * and each parent's children rebuilt once (a splice per comment into a long module is quadratic).
 */
function placeExtras(root: N, extras: Extra[], parser: Parser): void {
  const places = new Map<N, Array<{ index: number; node: N }>>();
  for (const extra of extras) {
    let parent = root;
    for (;;) {
      const children = parent.children;
      // the first child starting at or after the extra's end
      let lo = 0;
      let hi = children.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (children[mid]!.start < extra.end) lo = mid + 1;
        else hi = mid;
      }
      const before = lo > 0 ? children[lo - 1]! : undefined;
      if (before && before.start <= extra.start && before.end >= extra.end && before.children.length > 0) {
        parent = before;
        continue;
      }
      if (before && before.end > extra.start) decline(); // overlapping a token: not an extra tree-sitter would see
      let list = places.get(parent);
      if (!list) places.set(parent, (list = []));
      list.push({ index: lo, node: parser.leaf(extra.type, extra.start, extra.end) });
      break;
    }
  }
  for (const [parent, list] of places) {
    const merged: N[] = [];
    let next = 0;
    for (const { index, node: extra } of list) {
      while (next < index) merged.push(parent.children[next++]!);
      merged.push(extra);
    }
    while (next < parent.children.length) merged.push(parent.children[next++]!);
    parent.children = merged;
  }
}

/** The tree as readTree produces it: anonymous tokens unlocated (except '/', never listed), in place. */
function finish(root: N, anonymous: N[]): SyntaxNode {
  for (let i = 0; i < anonymous.length; i++) {
    const n = anonymous[i]!;
    n.field = null;
    n.start = -1;
    n.end = -1;
    n.line = 0;
    n.column = 0;
  }
  root.hasError = false;
  return root;
}

/**
 * Characters the fast path refuses anywhere (strings and comments included): CR, form feed, vertical
 * tab, NUL, BOM, and the Unicode line breaks (NEL, U+2028/9) whose treatment by tree-sitter's `.`
 * and CPython's tokenizer we have not pinned down. Other non-ASCII declines outside strings and comments.
 */
// eslint-disable-next-line no-control-regex
const REFUSED = /[\r\f\v\0\uFEFF\u0085\u2028\u2029]/;

/**
 * Where each line starts (as syntax-tree.ts lineStarts counts them: CR is refused, so only \n), or
 * undefined when the source holds a REFUSED character; indexOf rather than a loop over every character.
 */
function lineStartsUnlessRefused(source: string): number[] | undefined {
  if (REFUSED.test(source)) return undefined;
  const starts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * Parses `source` into the tree tree-sitter-python would produce, or returns undefined when this
 * parser is not certain it would (the caller then parses with tree-sitter).
 */
export function fastParsePython(source: string): SyntaxNode | undefined {
  return parseFast(source, undefined);
}

/** Deliberately wrong variants, for the test that the differential check catches a broken parser. */
export type BrokenVariant = 'escaped-quote-ends-string' | 'call-drops-arguments';

/** fastParsePython, or a deliberately broken variant of it (tests only). */
export function parseFast(source: string, variant: BrokenVariant | undefined): SyntaxNode | undefined {
  const lines = lineStartsUnlessRefused(source);
  if (lines === undefined) return undefined;
  const parser = new Parser(source, variant, lines);
  try {
    const root = parser.module();
    // Module: from its first token or extra (after leading whitespace) to the end of the source.
    placeExtras(root, parser.extras, parser);
    root.start = root.children.length > 0 ? root.children[0]!.start : source.length;
    parser.locate(root);
    if (parser.noChildren.length !== 0) throw new Error('fast parser: a leaf was given children');
    return finish(root, parser.anonymous);
  } catch (error) {
    if (error === DECLINE) return undefined;
    if (error instanceof RangeError) return undefined; // stack overflow on hostile nesting
    throw error;
  }
}
