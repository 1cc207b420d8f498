// Imported first by main.ts: OpenTelemetry must hook http, express and pg before anything loads them.
import { startTelemetry } from '@leadstream/platform-observability';

startTelemetry('ingestion');
