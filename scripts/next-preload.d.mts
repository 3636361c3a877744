// scripts/next-preload.mjs is imported for its effect only (tests load it as the launcher does).
export {};
