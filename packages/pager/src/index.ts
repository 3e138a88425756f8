// @strata/pager: under construction in this change; see packages/pager/README.md.
export {};
