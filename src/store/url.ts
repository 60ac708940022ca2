/** Which store a DATABASE_URL names: the one place that tells PostgreSQL from the JSON file. */
export const isPostgresUrl = (url: string | undefined): boolean => /^postgres(ql)?:\/\/.+/.test(String(url ?? '').trim());
