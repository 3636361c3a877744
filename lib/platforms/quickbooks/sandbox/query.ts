// A parser for the subset of the QBO query language the sandbox serves (developer.intuit.com › QuickBooks
// Online › Learn › Query operations and syntax):
//   SELECT * | COUNT(*) FROM <Entity> [WHERE <cond> [AND <cond>]…] [ORDERBY <field> [ASC|DESC]]
//   [STARTPOSITION n] [MAXRESULTS m]
// with cond one of Id = 'x' | Id IN ('x', …) | Metadata.LastUpdatedTime|Metadata.CreateTime <op> '<date-time>'
// (op =, <, >, <=, >=) | Active = true|false. Keywords, property names and entity names are read in any
// case: QBO answers `select * from account` (which node-quickbooks, the widely used Node client, sends for
// every find*) with the Account entities, keyed in the entity's own spelling.
// Failures are values naming the offending token, rendered by api.ts as QBO's ValidationFault (code 4000).
import { QUICKBOOKS_ENTITIES, type QuickBooksEntity } from "./objects";
import { parseQboDateTime } from "./time";

export const DEFAULT_MAX_RESULTS = 100;
/** QBO answers at most 1000 entities per query; larger MAXRESULTS are capped, not refused. */
export const MAX_MAX_RESULTS = 1000;

/** Entity names by their upper-case spelling. */
const ENTITIES = new Map(QUICKBOOKS_ENTITIES.map((name) => [name.toUpperCase(), name]));

/** Inclusive bounds in epoch ms, already converted from QBO's whole-second comparisons. */
export interface TimeBounds {
  min?: number;
  max?: number;
}

export interface ParsedQuery {
  kind: "select" | "count";
  entity: QuickBooksEntity;
  /** Only these ids (Id = / Id IN); undefined when the query does not name ids. */
  ids?: number[];
  updated: TimeBounds;
  created: TimeBounds;
  /** The query cannot match anything (Active = false: the sandbox has no inactive entities). */
  empty: boolean;
  orderBy: "Id" | "LastUpdatedTime" | "CreateTime";
  /** 1-based, as QBO's STARTPOSITION. */
  startPosition: number;
  maxResults: number;
}

export type QueryParseResult = { ok: true; query: ParsedQuery } | { ok: false; message: string; detail: string };

interface Token {
  kind: "word" | "string" | "number" | "symbol" | "end";
  text: string;
  column: number;
}

const SYMBOLS = [">=", "<=", "!=", "<>", "<", ">", "=", "(", ")", ",", "*"];

class ParseError extends Error {
  constructor(
    readonly kind: "syntax" | "validation",
    detail: string,
  ) {
    super(detail);
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const column = i + 1;
    if (c === "'") {
      let value = "";
      let j = i + 1;
      for (; j < text.length && text[j] !== "'"; j++) {
        if (text[j] === "\\" && j + 1 < text.length) j++;
        value += text[j];
      }
      if (j >= text.length) throw new ParseError("syntax", `QueryParserError: Lexical error at line 1, column ${column}. Unterminated string '${value}`);
      tokens.push({ kind: "string", text: value, column });
      i = j + 1;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i));
    if (word) {
      tokens.push({ kind: "word", text: word[0], column });
      i += word[0].length;
      continue;
    }
    const number = /^-?\d+/.exec(text.slice(i));
    if (number) {
      tokens.push({ kind: "number", text: number[0], column });
      i += number[0].length;
      continue;
    }
    const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
    if (!symbol) throw new ParseError("syntax", `QueryParserError: Lexical error at line 1, column ${column}. Encountered: "${c}"`);
    tokens.push({ kind: "symbol", text: symbol, column });
    i += symbol.length;
  }
  tokens.push({ kind: "end", text: "<EOF>", column: text.length + 1 });
  return tokens;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.at];
  }

  next(): Token {
    return this.tokens[Math.min(this.at++, this.tokens.length - 1)];
  }

  isKeyword(keyword: string): boolean {
    const token = this.peek();
    return token.kind === "word" && token.text.toUpperCase() === keyword;
  }

  keyword(keyword: string): void {
    if (!this.isKeyword(keyword)) this.fail(`"${keyword}"`);
    this.at++;
  }

  symbol(symbol: string): void {
    const token = this.peek();
    if (token.kind !== "symbol" || token.text !== symbol) this.fail(`"${symbol}"`);
    this.at++;
  }

  fail(expected: string): never {
    const token = this.peek();
    throw new ParseError("syntax", `QueryParserError: Encountered "${token.text}" at line 1, column ${token.column}. Was expecting: ${expected}`);
  }
}

const TIME_FIELDS: Record<string, "updated" | "created"> = {
  "METADATA.LASTUPDATEDTIME": "updated",
  "METADATA.CREATETIME": "created",
};

/** Bounds on epoch ms equivalent to comparing the whole-second time QBO shows with `value`. */
function boundsFor(op: string, value: number): TimeBounds {
  const floor = Math.floor(value / 1000) * 1000;
  const ceil = Math.ceil(value / 1000) * 1000;
  switch (op) {
    case ">=":
      return { min: ceil };
    case ">":
      return { min: floor + 1000 };
    case "<=":
      return { max: floor + 999 };
    case "<":
      return { max: ceil - 1 };
    default:
      return value % 1000 === 0 ? { min: value, max: value + 999 } : { min: 1, max: 0 };
  }
}

function intersect(a: TimeBounds, b: TimeBounds): TimeBounds {
  const min = a.min === undefined ? b.min : b.min === undefined ? a.min : Math.max(a.min, b.min);
  const max = a.max === undefined ? b.max : b.max === undefined ? a.max : Math.min(a.max, b.max);
  return { min, max };
}

function idValue(token: Token): number {
  return token.kind === "string" || token.kind === "number" ? (/^\d+$/.test(token.text) ? Number(token.text) : NaN) : NaN;
}

function positiveInteger(parser: Parser, clause: string): number {
  const token = parser.next();
  if (token.kind !== "number" || Number(token.text) < 1) {
    throw new ParseError(
      "syntax",
      `QueryParserError: Encountered "${token.text}" at line 1, column ${token.column}. Was expecting: a positive integer after ${clause}`,
    );
  }
  return Number(token.text);
}

function parseCondition(parser: Parser, query: ParsedQuery): void {
  const field = parser.next();
  if (field.kind !== "word") parser.fail("a property name");
  const upper = field.text.toUpperCase();
  if (upper === "ID") {
    let ids: number[];
    if (parser.isKeyword("IN")) {
      parser.next();
      parser.symbol("(");
      ids = [idValue(parser.next())];
      while (parser.peek().text === ",") {
        parser.next();
        ids.push(idValue(parser.next()));
      }
      parser.symbol(")");
    } else {
      parser.symbol("=");
      ids = [idValue(parser.next())];
    }
    const valid = ids.filter((id) => Number.isSafeInteger(id));
    query.ids = query.ids ? query.ids.filter((id) => valid.includes(id)) : [...new Set(valid)];
    return;
  }
  if (upper === "ACTIVE") {
    parser.symbol("=");
    const value = parser.next();
    if (value.kind !== "word" || !["TRUE", "FALSE"].includes(value.text.toUpperCase())) parser.fail("true or false");
    if (value.text.toUpperCase() === "FALSE") query.empty = true;
    return;
  }
  const timeField = TIME_FIELDS[upper];
  if (!timeField) throw new ParseError("validation", `QueryValidationError: property '${field.text}' is not queryable`);
  const op = parser.next();
  if (op.kind !== "symbol" || ![">=", "<=", "<", ">", "="].includes(op.text)) parser.fail('one of "=", "<", ">", "<=", ">="');
  const literal = parser.next();
  const value = literal.kind === "string" ? parseQboDateTime(literal.text) : null;
  if (value === null) {
    throw new ParseError("validation", `QueryValidationError: value '${literal.text}' of ${field.text} is not a valid date-time`);
  }
  query[timeField] = intersect(query[timeField], boundsFor(op.text, value));
}

export function parseQuery(text: string): QueryParseResult {
  try {
    const parser = new Parser(tokenize(text));
    parser.keyword("SELECT");
    let kind: ParsedQuery["kind"] = "select";
    if (parser.isKeyword("COUNT")) {
      parser.next();
      parser.symbol("(");
      parser.symbol("*");
      parser.symbol(")");
      kind = "count";
    } else if (parser.peek().text === "*") {
      parser.next();
    } else {
      parser.fail('"*" or "count(*)" (the sandbox does not project fields)');
    }
    parser.keyword("FROM");
    const entityToken = parser.next();
    if (entityToken.kind !== "word") parser.fail("an entity name");
    const entity = ENTITIES.get(entityToken.text.toUpperCase());
    if (!entity) throw new ParseError("validation", `QueryValidationError: Entity '${entityToken.text}' is not supported by the sandbox`);
    const query: ParsedQuery = {
      kind,
      entity,
      updated: {},
      created: {},
      empty: false,
      orderBy: "Id",
      startPosition: 1,
      maxResults: DEFAULT_MAX_RESULTS,
    };
    if (parser.isKeyword("WHERE")) {
      parser.next();
      parseCondition(parser, query);
      while (parser.isKeyword("AND")) {
        parser.next();
        parseCondition(parser, query);
      }
    }
    if (parser.isKeyword("ORDERBY") || parser.isKeyword("ORDER")) {
      if (parser.next().text.toUpperCase() === "ORDER") parser.keyword("BY");
      const field = parser.next();
      const upper = field.text.toUpperCase();
      if (upper === "ID") query.orderBy = "Id";
      else if (TIME_FIELDS[upper] === "updated") query.orderBy = "LastUpdatedTime";
      else if (TIME_FIELDS[upper] === "created") query.orderBy = "CreateTime";
      else
        throw new ParseError(
          "validation",
          `QueryValidationError: property '${field.text}' is not sortable in the sandbox (Id, Metadata.LastUpdatedTime, Metadata.CreateTime are)`,
        );
      if (parser.isKeyword("DESC"))
        throw new ParseError("validation", `QueryValidationError: ORDERBY ${field.text} DESC is not supported by the sandbox; use ASC`);
      if (parser.isKeyword("ASC")) parser.next();
    }
    for (let clauses = 0; clauses < 2; clauses++) {
      if (parser.isKeyword("STARTPOSITION")) {
        parser.next();
        query.startPosition = positiveInteger(parser, "STARTPOSITION");
      } else if (parser.isKeyword("MAXRESULTS")) {
        parser.next();
        query.maxResults = Math.min(MAX_MAX_RESULTS, positiveInteger(parser, "MAXRESULTS"));
      }
    }
    if (parser.peek().kind !== "end") parser.fail("<EOF>");
    return { ok: true, query };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return { ok: false, message: error.kind === "syntax" ? "Error parsing query" : "Invalid query", detail: error.message };
  }
}
