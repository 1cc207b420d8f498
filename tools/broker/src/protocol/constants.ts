// API keys, served versions and error codes of the Kafka protocol subset this broker implements.

export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  DeleteGroups: 42,
} as const;

export const API_NAMES: Record<number, string> = Object.fromEntries(Object.entries(ApiKey).map(([name, key]) => [key, name]));

/**
 * Versions served per API. All are non-flexible except ApiVersions v3 (librdkafka's first
 * request). Minimums are low so that librdkafka's feature detection finds the overlaps it needs.
 */
export const SUPPORTED_VERSIONS: ReadonlyArray<{ apiKey: number; min: number; max: number }> = [
  { apiKey: ApiKey.Produce, min: 0, max: 7 },
  { apiKey: ApiKey.Fetch, min: 0, max: 11 },
  { apiKey: ApiKey.ListOffsets, min: 0, max: 5 },
  { apiKey: ApiKey.Metadata, min: 0, max: 8 },
  { apiKey: ApiKey.OffsetCommit, min: 0, max: 7 },
  { apiKey: ApiKey.OffsetFetch, min: 0, max: 5 },
  { apiKey: ApiKey.FindCoordinator, min: 0, max: 2 },
  { apiKey: ApiKey.JoinGroup, min: 0, max: 5 },
  { apiKey: ApiKey.Heartbeat, min: 0, max: 3 },
  { apiKey: ApiKey.LeaveGroup, min: 0, max: 3 },
  { apiKey: ApiKey.SyncGroup, min: 0, max: 3 },
  { apiKey: ApiKey.DescribeGroups, min: 0, max: 2 },
  { apiKey: ApiKey.ListGroups, min: 0, max: 2 },
  { apiKey: ApiKey.ApiVersions, min: 0, max: 3 },
  { apiKey: ApiKey.CreateTopics, min: 0, max: 3 },
  { apiKey: ApiKey.DeleteTopics, min: 0, max: 1 },
  { apiKey: ApiKey.DeleteGroups, min: 0, max: 1 },
];

export function isSupported(apiKey: number, version: number): boolean {
  const entry = SUPPORTED_VERSIONS.find((v) => v.apiKey === apiKey);
  return entry !== undefined && version >= entry.min && version <= entry.max;
}

export const ErrorCode = {
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  INVALID_FETCH_SIZE: 4,
  LEADER_NOT_AVAILABLE: 5,
  REQUEST_TIMED_OUT: 7,
  MESSAGE_TOO_LARGE: 10,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  INVALID_TOPIC_EXCEPTION: 17,
  INVALID_REQUIRED_ACKS: 21,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  UNSUPPORTED_VERSION: 35,
  INVALID_REQUEST: 42,
  UNSUPPORTED_FOR_MESSAGE_FORMAT: 43,
  KAFKA_STORAGE_ERROR: 56,
  GROUP_ID_NOT_FOUND: 69,
  NON_EMPTY_GROUP: 68,
  UNKNOWN_SERVER_ERROR: -1,
} as const;
