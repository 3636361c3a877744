// A bulk operation's selection compiled once into a plain function from a node to its JSONL object.
// A bulk file has a line per record and per nested element, millions for a large store; running
// graphql-js's executor on each (building its execution context, collecting fields, checking for
// promises at every field) cost ~250 µs a line, which made a 40,000-record store's orders take
// 25 s to export. The compiled projection reads the same fields the same way graphql-js's default
// resolver does (a property, or a function called with the field's arguments) and serializes leaves
// with the schema's own scalars and enums, so a line has exactly the fields and aliases asked for.
//
// Bulk queries take no variables (the inner query is a string), so arguments are literals, resolved
// once here with the schema's defaults.
import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  isAbstractType,
  isLeafType,
  isListType,
  Kind,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";

export type Projector = (value: Record<string, unknown>) => Record<string, unknown>;

type Complete = (value: unknown) => unknown;

interface FieldPlan {
  key: string;
  name: string;
  args: Record<string, unknown>;
  complete: Complete;
}

/** The projection of `selectionSet` on objects of `type` (inline fragments on other types are skipped). */
export function compileProjection(schema: GraphQLSchema, type: GraphQLObjectType, selectionSet: SelectionSetNode): Projector {
  const fields = collect(schema, type, selectionSet);
  return (value) => {
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      if (field.name === "__typename") {
        out[field.key] = type.name;
        continue;
      }
      const raw = value[field.name];
      out[field.key] = field.complete(typeof raw === "function" ? (raw as (args: Record<string, unknown>) => unknown)(field.args) : raw);
    }
    return out;
  };
}

function collect(schema: GraphQLSchema, type: GraphQLObjectType, selectionSet: SelectionSetNode, into: FieldPlan[] = []): FieldPlan[] {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition?.name.value;
      const applies =
        !condition || condition === type.name || (isAbstractType(schema.getType(condition)!) && schema.isSubType(schema.getType(condition) as never, type));
      if (applies) collect(schema, type, selection.selectionSet, into);
      continue;
    }
    if (selection.kind !== Kind.FIELD) throw new Error("Fragment spreads are not compiled: inline the fields");
    const name = selection.name.value;
    const key = selection.alias?.value ?? name;
    if (name === "__typename") {
      into.push({ key, name, args: {}, complete: (v) => v });
      continue;
    }
    const definition = type.getFields()[name] as GraphQLField<unknown, unknown> | undefined;
    if (!definition) throw new Error(`${type.name} has no field ${name}`);
    into.push({ key, name, args: getArgumentValues(definition, selection), complete: completer(schema, definition.type, selection.selectionSet) });
  }
  return into;
}

function completer(schema: GraphQLSchema, type: GraphQLOutputType, selectionSet: SelectionSetNode | undefined): Complete {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const item = completer(schema, nullable.ofType, selectionSet);
    return (value) => (value === null || value === undefined ? null : Array.from(value as Iterable<unknown>, item));
  }
  const named: GraphQLNamedType = getNamedType(nullable);
  if (isLeafType(named)) return (value) => (value === null || value === undefined ? null : named.serialize(value));
  if (!selectionSet) throw new Error(`${named.name} needs a selection`);
  // An object, or an interface or union resolved by the value's __typename.
  const projectors = new Map<string, Projector>();
  const projectorFor = (typeName: string): Projector | null => {
    let projector = projectors.get(typeName);
    if (!projector) {
      const concrete = schema.getType(typeName) as GraphQLObjectType | undefined;
      if (!concrete) return null;
      projectors.set(typeName, (projector = compileProjection(schema, concrete, selectionSet)));
    }
    return projector;
  };
  return (value) => {
    if (value === null || value === undefined) return null;
    const object = value as Record<string, unknown>;
    const typeName = isAbstractType(named) ? String(object.__typename) : named.name;
    return projectorFor(typeName)?.(object) ?? null;
  };
}
