// Ingestion's migrations, in order. Each feature adds its own file here (one line per migration).
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
export const INGESTION_MIGRATIONS: Function[] = [
];
