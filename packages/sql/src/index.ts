// @strata/sql: under construction in this change; see packages/sql/README.md.
export {};
