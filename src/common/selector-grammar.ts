/**
 * Label and field selectors parsed locally with the Kubernetes grammar, so an unparsable one is a
 * 400 with the field before any request reaches a cluster. Mirrors k8s.io/apimachinery
 * pkg/labels/selector.go (lexer, parser, NewRequirement) and pkg/fields/selector.go (splitTerms,
 * splitTerm, UnescapeValue). Each function returns the first problem, or null when it parses.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/field-selectors/
 */

type Tok =
  'id' | 'in' | 'notin' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'end' | 'error';

interface Token {
  tok: Tok;
  text: string;
}

const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const SYMBOLS = new Set(['(', ')', ',', '!', '=', '==', '!=', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (WHITESPACE.has(ch)) {
      i++;
    } else if (SPECIAL.has(ch)) {
      // Longest special-symbol run that is a token, as the apimachinery lexer scans.
      const two = input.slice(i, i + 2);
      const text = SYMBOLS.has(two) ? two : ch;
      if (!SYMBOLS.has(text)) return [...tokens, { tok: 'error', text }];
      tokens.push({ tok: text as Tok, text });
      i += text.length;
    } else {
      let j = i;
      while (j < input.length && !WHITESPACE.has(input[j]) && !SPECIAL.has(input[j])) j++;
      const text = input.slice(i, j);
      tokens.push({ tok: text === 'in' || text === 'notin' ? text : 'id', text });
      i = j;
    }
  }
  tokens.push({ tok: 'end', text: '' });
  return tokens;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const INTEGER = /^[+-]?\d+$/;
const INT64 = 2n ** 63n;

/** strconv.ParseInt(value, 10, 64) succeeds. */
function isInt64(value: string): boolean {
  if (!INTEGER.test(value)) return false;
  const n = BigInt(value);
  return n >= -INT64 && n < INT64;
}

/** A label key: an optional DNS-subdomain prefix and "/", then a name of at most 63 characters. */
export function labelKeyProblem(key: string): string | null {
  const parts = key.split('/');
  const name = parts[parts.length - 1];
  if (parts.length > 2) return `key "${key}" has more than one "/"`;
  if (parts.length === 2 && (!parts[0] || parts[0].length > 253 || !DNS_SUBDOMAIN.test(parts[0])))
    return `key "${key}" has a prefix that is not a DNS subdomain`;
  if (!name || name.length > 63 || !NAME_PART.test(name))
    return `key "${key}" is not a qualified name (at most 63 alphanumerics, "-", "_", ".")`;
  return null;
}

export function labelValueProblem(value: string): string | null {
  if (value.length > 63 || !LABEL_VALUE.test(value))
    return `value "${value}" is not a label value (at most 63 alphanumerics, "-", "_", ".")`;
  return null;
}

/** A cursor over the tokens; `in`/`notin` read as identifiers where a value or key is expected. */
class LabelParser {
  private at = 0;

  constructor(private readonly tokens: Token[]) {}

  peek(asValue = true): Token {
    const t = this.tokens[this.at];
    return asValue && (t.tok === 'in' || t.tok === 'notin') ? { tok: 'id', text: t.text } : t;
  }

  next(asValue = true): Token {
    const t = this.peek(asValue);
    this.at++;
    return t;
  }

  /** selector := requirement ("," requirement)* | empty */
  parse(): string | null {
    for (;;) {
      const t = this.peek();
      if (t.tok === 'end') return null;
      if (t.tok !== 'id' && t.tok !== '!')
        return `found "${t.text}", expected "!", a key or the end`;
      const problem = this.requirement();
      if (problem) return problem;
      const after = this.next();
      if (after.tok === 'end') return null;
      if (after.tok !== ',') return `found "${after.text}", expected "," or the end`;
      const following = this.peek().tok;
      if (following !== 'id' && following !== '!') return 'expected a key after ","';
    }
  }

  private requirement(): string | null {
    let t = this.next();
    const negated = t.tok === '!';
    if (negated) t = this.next();
    if (t.tok !== 'id') return `found "${t.text}", expected a key`;
    const keyProblem = labelKeyProblem(t.text);
    if (keyProblem) return keyProblem;
    const lookahead = this.peek().tok;
    if (negated || lookahead === 'end' || lookahead === ',') return null;
    const op = this.next(false);
    if (op.tok === 'in' || op.tok === 'notin') return this.valueSet();
    if (['=', '==', '!=', '>', '<'].includes(op.tok)) return this.exactValue(op.tok);
    return `found "${op.text}", expected an operator (=, ==, !=, in, notin, >, <)`;
  }

  private exactValue(op: Tok): string | null {
    const lookahead = this.peek().tok;
    let value = '';
    if (lookahead !== 'end' && lookahead !== ',') {
      const t = this.next();
      if (t.tok !== 'id') return `found "${t.text}", expected a value`;
      value = t.text;
    }
    if ((op === '>' || op === '<') && !isInt64(value))
      return `"${op}" needs an integer value, found "${value}"`;
    return labelValueProblem(value);
  }

  private valueSet(): string | null {
    const open = this.next();
    if (open.tok !== '(') return `found "${open.text}", expected "("`;
    for (;;) {
      const t = this.next();
      if (t.tok === ')') return null;
      if (t.tok === ',') continue;
      if (t.tok !== 'id') return `found "${t.text}", expected a value, "," or ")"`;
      const problem = labelValueProblem(t.text);
      if (problem) return problem;
      const after = this.peek().tok;
      if (after !== ',' && after !== ')') return `found "${this.peek().text}", expected "," or ")"`;
    }
  }
}

/** Why `selector` is not a label selector (kubectl -l), or null when it parses. */
export function labelSelectorProblem(selector: string): string | null {
  const tokens = tokenize(selector);
  const error = tokens.find((t) => t.tok === 'error');
  if (error) return `"${error.text}" is not an operator`;
  return new LabelParser(tokens).parse();
}

const FIELD_PATH = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

/** Splits on commas not escaped by a backslash, keeping escapes for unescapeValue. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i];
    if (ch === '\\' && i + 1 < selector.length) {
      current += ch + selector[++i];
    } else if (ch === ',') {
      terms.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  return [...terms, current];
}

function valueProblem(value: string): string | null {
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\') {
      if (i + 1 >= value.length) return `value "${value}" ends with an unterminated escape`;
      if (!['\\', ',', '='].includes(value[++i]))
        return `value "${value}" has an invalid escape "\\${value[i]}" (only \\\\, \\, and \\=)`;
    } else if (ch === ',' || ch === '=') {
      return `value "${value}" has an unescaped "${ch}"`;
    }
  }
  return null;
}

/** Why `selector` is not a field selector (kubectl --field-selector), or null when it parses. */
export function fieldSelectorProblem(selector: string): string | null {
  for (const term of splitTerms(selector)) {
    if (term === '') continue;
    const match = /!=|==|=/.exec(term);
    if (!match) return `term "${term}" has no operator (=, ==, !=)`;
    const field = term.slice(0, match.index);
    if (!FIELD_PATH.test(field)) return `"${field}" is not a field path such as status.phase`;
    const problem = valueProblem(term.slice(match.index + match[0].length));
    if (problem) return problem;
  }
  return null;
}
