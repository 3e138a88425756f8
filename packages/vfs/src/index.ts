// @strata/vfs: under construction in this change; see packages/vfs/README.md.
export {};
