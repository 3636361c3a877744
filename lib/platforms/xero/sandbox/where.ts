// Xero's `where` parameter (developer.xero.com › Accounting API › Requests and responses › "Retrieving
// data: where"): conditions `Field == value` joined with AND (or &&), values being "strings", numbers,
// true/false, DateTime(2024,01,01[,h,m,s]) and Guid("…"), fields written with dots for nested ones
// (Contact.ContactID). Read by a hand-written tokenizer in one pass (no regular expressions over the
// caller's text, nothing that backtracks). OR, methods (Name.Contains(…)) and parentheses are refused,
// as anything the sandbox does not evaluate: Xero's 400 ValidationException, not a wrong answer.

export type Operator = "==" | "!=" | ">" | ">=" | "<" | "<=";
export type Value =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "date"; value: number }
  | { kind: "null" };

export interface Condition {
  path: string[];
  op: Operator;
  value: Value;
}

/** A field that must hold one of several values: the Statuses, ContactIDs and IDs parameters. */
export interface OneOf {
  path: string[];
  values: Set<string>;
}

export type WhereResult = { ok: true; conditions: Condition[] } | { ok: false; message: string };

type Token =
  | { t: "ident"; v: string }
  | { t: "string"; v: string }
  | { t: "number"; v: number }
  | { t: "op"; v: Operator }
  | { t: "punct"; v: "(" | ")" | "," | "." }
  | { t: "and" };

const MAX_LENGTH = 4000;
const isLetter = (c: string) => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
const isDigit = (c: string) => c >= "0" && c <= "9";

function tokenize(text: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (c === '"') {
      let value = "";
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && i + 1 < text.length) i++;
        value += text[i++];
      }
      if (i >= text.length) return "unterminated string";
      i++;
      tokens.push({ t: "string", v: value });
    } else if (isDigit(c) || (c === "-" && isDigit(text[i + 1] ?? ""))) {
      let j = i + 1;
      while (j < text.length && (isDigit(text[j]) || text[j] === ".")) j++;
      const value = Number(text.slice(i, j));
      if (!Number.isFinite(value)) return `invalid number "${text.slice(i, j)}"`;
      tokens.push({ t: "number", v: value });
      i = j;
    } else if (isLetter(c)) {
      let j = i + 1;
      while (j < text.length && (isLetter(text[j]) || isDigit(text[j]))) j++;
      const word = text.slice(i, j);
      if (word.toUpperCase() === "AND") tokens.push({ t: "and" });
      else if (word.toUpperCase() === "OR") return "OR is not supported by the sandbox";
      else tokens.push({ t: "ident", v: word });
      i = j;
    } else if (c === "&" && text[i + 1] === "&") {
      tokens.push({ t: "and" });
      i += 2;
    } else if (c === "|" && text[i + 1] === "|") {
      return "OR is not supported by the sandbox";
    } else if ((c === "=" || c === "!" || c === ">" || c === "<") && text[i + 1] === "=") {
      tokens.push({ t: "op", v: (c === "=" ? "==" : `${c}=`) as Operator });
      i += 2;
    } else if (c === ">" || c === "<") {
      tokens.push({ t: "op", v: c });
      i++;
    } else if (c === "=") {
      tokens.push({ t: "op", v: "==" }); // Xero reads a single = as ==
      i++;
    } else if (c === "(" || c === ")" || c === "," || c === ".") {
      tokens.push({ t: "punct", v: c });
      i++;
    } else {
      return `unexpected character "${c}"`;
    }
  }
  return tokens;
}

export function parseWhere(text: string): WhereResult {
  if (text.length > MAX_LENGTH) return { ok: false, message: "where is too long" };
  const lexed = tokenize(text);
  if (typeof lexed === "string") return { ok: false, message: lexed };
  const tokens: Token[] = lexed;
  let p = 0;
  const peek = () => tokens[p];
  const punct = (v: string) => {
    const token = tokens[p];
    if (token?.t === "punct" && token.v === v) {
      p++;
      return true;
    }
    return false;
  };
  const conditions: Condition[] = [];
  for (;;) {
    const path: string[] = [];
    const first = tokens[p++];
    if (first?.t !== "ident") return { ok: false, message: "expected a field name" };
    path.push(first.v);
    while (punct(".")) {
      const next = tokens[p++];
      if (next?.t !== "ident") return { ok: false, message: "expected a field name after ." };
      path.push(next.v);
    }
    const op = tokens[p++];
    if (op?.t !== "op")
      return { ok: false, message: `${path.join(".")}: expected an operator (==, !=, >, >=, <, <=); methods are not supported by the sandbox` };
    const value = readValue();
    if (typeof value === "string") return { ok: false, message: value };
    conditions.push({ path, op: op.v, value });
    if (p === tokens.length) return { ok: true, conditions };
    if (peek()?.t !== "and") return { ok: false, message: "expected AND between conditions" };
    p++;
  }

  function readValue(): Value | string {
    const token = tokens[p++];
    if (!token) return "expected a value";
    if (token.t === "string") return { kind: "string", value: token.v };
    if (token.t === "number") return { kind: "number", value: token.v };
    if (token.t !== "ident") return "expected a value";
    const word = token.v;
    if (word === "true" || word === "false") return { kind: "boolean", value: word === "true" };
    if (word === "null") return { kind: "null" };
    if (word === "DateTime" || word === "Guid") {
      if (!punct("(")) return `expected ( after ${word}`;
      if (word === "Guid") {
        const id = tokens[p++];
        if (id?.t !== "string" || !punct(")")) return 'expected Guid("…")';
        return { kind: "string", value: id.v.toLowerCase() };
      }
      const parts: number[] = [];
      for (;;) {
        const n = tokens[p++];
        if (n?.t !== "number" || !Number.isInteger(n.v)) return "DateTime takes whole numbers";
        parts.push(n.v);
        if (punct(")")) break;
        if (!punct(",")) return "expected , or ) in DateTime";
      }
      if (parts.length !== 3 && parts.length !== 6) return "DateTime takes (year, month, day) or (year, month, day, hour, minute, second)";
      const [y, m, d, h = 0, mi = 0, s = 0] = parts;
      const ms = Date.UTC(y, m - 1, d, h, mi, s);
      const check = new Date(ms);
      if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return "DateTime is not a valid date";
      return { kind: "date", value: ms };
    }
    return `unknown value ${word}`;
  }
}
