// Calculated query cost, as Shopify documents it
// (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits, read December 2026):
// - a field returning an object costs 1, a scalar or an enum 0; an interface or union the most
//   expensive of its possible selections (so a count, ordersCount { count precision }, is 1);
// - a connection costs 2 plus, for each of the `first`/`last` objects it may return, the cost of what
//   is selected on one of them (so products(first: 250) { nodes { id } } is 2 + 250 × 1 = 252);
//   pageInfo and the edge wrappers are free;
// - a plain list of objects (an order's transactions, nodes(ids:)) costs its `first` (or the ids'
//   count) times one object's selection, or one object's when it is unbounded;
// - a mutation costs 10;
// - the requested cost is computed from the query before it runs; the actual cost counts what was
//   returned (fewer edges than `first`, null objects), and the bucket is refunded the difference.
import {
  getArgumentValues,
  getNamedType,
  isAbstractType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  defaultFieldResolver,
} from "graphql";
import { isConnectionTypeName } from "./schema";

export const MUTATION_COST = 10;
/** "A single query to the API cannot exceed a cost of 1000", checked on the requested cost. */
export const MAX_QUERY_COST = 1000;

const FREE_TYPES = new Set(["PageInfo"]);

const isEdgeTypeName = (name: string) => name.endsWith("Edge");

function unwrapList(type: GraphQLOutputType): boolean {
  const inner = isNonNullType(type) ? type.ofType : type;
  return isListType(inner);
}

export function requestedCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
  if (operation.operation === "mutation")
    return operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD && s.name.value !== "__typename").length * MUTATION_COST;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const root = schema.getQueryType();
  if (!root) return 0;

  /** The cost of a selection on `type`; on an abstract type, the dearest of its possible types. */
  const selectionCost = (selectionSet: SelectionSetNode | undefined, type: GraphQLNamedType): number => {
    if (!selectionSet) return 0;
    const possible: readonly GraphQLObjectType[] = isAbstractType(type) ? schema.getPossibleTypes(type) : isObjectType(type) ? [type] : [];
    let dearest = 0;
    for (const concrete of possible) dearest = Math.max(dearest, costOn(selectionSet, concrete));
    return dearest;
  };

  const costOn = (selectionSet: SelectionSetNode, type: GraphQLObjectType): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT || selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
        const condition = fragment?.typeCondition?.name.value;
        if (!fragment || (condition && condition !== type.name && !implementsType(schema, type, condition))) continue;
        total += costOn(fragment.selectionSet, type);
        continue;
      }
      if (selection.name.value.startsWith("__")) continue;
      const field = type.getFields()[selection.name.value];
      if (!field) continue;
      total += fieldCost(field, selection.selectionSet, args(field, selection));
    }
    return total;
  };

  const args = (field: GraphQLField<unknown, unknown>, node: Parameters<typeof getArgumentValues>[1]): Record<string, unknown> => {
    try {
      return getArgumentValues(field, node, variables);
    } catch {
      return {};
    }
  };

  const fieldCost = (field: GraphQLField<unknown, unknown>, selectionSet: SelectionSetNode | undefined, fieldArgs: Record<string, unknown>): number => {
    const named = getNamedType(field.type);
    if (!isObjectType(named) && !isAbstractType(named)) return 0;
    if (isConnectionTypeName(named.name) && isObjectType(named)) {
      const size = Number(fieldArgs.first ?? fieldArgs.last ?? 0);
      return 2 + size * connectionElementCost(selectionSet, named);
    }
    if (FREE_TYPES.has(named.name)) return 0;
    const one = 1 + selectionCost(selectionSet, named);
    if (!unwrapList(field.type)) return one;
    const ids = Array.isArray(fieldArgs.ids) ? fieldArgs.ids.length : null;
    const size = typeof fieldArgs.first === "number" ? fieldArgs.first : (ids ?? 1);
    return size * one;
  };

  /** What one element of a connection costs: edges { node {…} } and nodes {…}, each an object. */
  const connectionElementCost = (selectionSet: SelectionSetNode | undefined, connection: GraphQLObjectType): number => {
    if (!selectionSet) return 0;
    let total = 0;
    const visit = (set: SelectionSetNode, type: GraphQLObjectType) => {
      for (const selection of set.selections) {
        if (selection.kind !== Kind.FIELD) {
          const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
          if (fragment) visit(fragment.selectionSet, type);
          continue;
        }
        const field = type.getFields()[selection.name.value];
        if (!field) continue;
        const named = getNamedType(field.type);
        if (selection.name.value === "nodes") total += 1 + selectionCost(selection.selectionSet, named);
        else if (selection.name.value === "edges" && isObjectType(named) && selection.selectionSet) visit(selection.selectionSet, named);
        else if (selection.name.value === "node" && isEdgeTypeName(type.name)) total += 1 + selectionCost(selection.selectionSet, named);
      }
    };
    visit(selectionSet, connection);
    return total;
  };

  return costOn(operation.selectionSet, root);
}

function implementsType(schema: GraphQLSchema, type: GraphQLObjectType, name: string): boolean {
  const abstract = schema.getType(name);
  return abstract !== undefined && isAbstractType(abstract) && schema.isSubType(abstract, type);
}

/** Counts the actual cost while graphql-js resolves: the same rules, on what came back. */
export class CostTally {
  actual = 0;

  readonly resolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
    const value = defaultFieldResolver(source, args, context, info);
    this.count(value, info.returnType);
    return value;
  };

  private count(value: unknown, type: GraphQLOutputType): void {
    if (value === null || value === undefined) return;
    if (typeof value === "function") return; // resolved later by graphql-js: counted then
    const named = getNamedType(type);
    if (!isObjectType(named) && !isAbstractType(named)) return;
    if (isConnectionTypeName(named.name)) {
      this.actual += 2;
      return;
    }
    if (FREE_TYPES.has(named.name) || isEdgeTypeName(named.name)) return;
    if (unwrapList(type)) {
      if (Array.isArray(value)) this.actual += value.filter((item) => item !== null && item !== undefined).length;
      return;
    }
    this.actual += 1;
  }
}
