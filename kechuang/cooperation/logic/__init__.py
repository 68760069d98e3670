"""Pure rules of the cooperation app (no Django): transition tables, technical-contract
registration arithmetic and time limits, the competition's stage chain, lexical matching."""
