/** SOQL syntax tree. Names are kept as written; binding to a schema happens in the evaluator. */

export interface FieldRef {
  /** e.g. ['Account', 'Name'] for `Account.Name`. */
  readonly path: readonly string[];
  readonly offset: number;
}

export type AggregateFn = 'COUNT' | 'COUNT_DISTINCT' | 'SUM' | 'MIN' | 'MAX' | 'AVG';

export type SelectItem =
  | { readonly kind: 'field'; readonly ref: FieldRef }
  | { readonly kind: 'aggregate'; readonly fn: AggregateFn; readonly arg: FieldRef | undefined; readonly alias: string | undefined; readonly offset: number }
  /** `(SELECT … FROM Contacts …)`: `query.from.name` is the child relationship name. */
  | { readonly kind: 'subquery'; readonly query: SoqlQuery; readonly offset: number };

export type Literal =
  | { readonly kind: 'string'; readonly value: string; readonly offset: number }
  | { readonly kind: 'number'; readonly value: number; readonly offset: number }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly offset: number }
  | { readonly kind: 'null'; readonly offset: number }
  | { readonly kind: 'date'; readonly value: string; readonly offset: number }
  | { readonly kind: 'datetime'; readonly value: string; readonly offset: number }
  | { readonly kind: 'dateLiteral'; readonly name: string; readonly n: number | undefined; readonly offset: number };

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { readonly kind: 'and' | 'or'; readonly items: readonly Condition[] }
  | { readonly kind: 'not'; readonly item: Condition }
  | { readonly kind: 'compare'; readonly field: FieldRef; readonly op: ComparisonOp; readonly value: Literal }
  | { readonly kind: 'in'; readonly field: FieldRef; readonly negated: boolean; readonly values: readonly Literal[]; readonly subquery?: SoqlQuery }
  | { readonly kind: 'like'; readonly field: FieldRef; readonly pattern: Literal }
  | { readonly kind: 'includes' | 'excludes'; readonly field: FieldRef; readonly values: readonly Literal[] };

export interface OrderKey {
  readonly field: FieldRef;
  readonly descending: boolean;
  readonly nullsLast: boolean;
}

export interface SoqlQuery {
  readonly text: string;
  readonly select: readonly SelectItem[];
  readonly from: { readonly name: string; readonly offset: number };
  readonly where: Condition | undefined;
  readonly groupBy: readonly FieldRef[];
  readonly orderBy: readonly OrderKey[];
  readonly limit: number | undefined;
  readonly offset: number | undefined;
}
