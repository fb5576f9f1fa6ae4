/** A value that survives `JSON.stringify` / `JSON.parse` unchanged. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
