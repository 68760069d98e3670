"""Pure rules of innovation platforms (no Django): recognition conditions of incubators, maker
spaces, incubatees and graduates (docs/platforms.md), performance-evaluation scoring and the
enclave per-head subsidy. The offline interface, the platform page and the batch call the same
functions here."""
