import { LEADSTREAM_NAMESPACE, uuidV5 } from '@leadstream/contracts';

/** The id of the review pair of two leads, the same whichever is named first and in every process. */
export function reviewPairId(leadA: string, leadB: string): string {
  const [low, high] = leadA < leadB ? [leadA, leadB] : [leadB, leadA];
  return uuidV5(`review-pair:${low}:${high}`, LEADSTREAM_NAMESPACE);
}
