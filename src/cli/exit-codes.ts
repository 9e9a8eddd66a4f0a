// Exit codes that mean something in CI: 0 ok, 1 a failed check (such as --fail-under-auc), 2 bad input.

export const EXIT = { ok: 0, failedCheck: 1, badInput: 2, internal: 3 } as const;
